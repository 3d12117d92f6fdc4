package io.jivykis;

import static io.jivykis.LoopObjectsSupport.assertCollectable;
import static io.jivykis.LoopObjectsSupport.assertNoDescriptorLeak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.LoopObjectsSupport.Pipe;
import io.jivykis.internal.Errors;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import java.io.FileInputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** FdWatch (iv_fd): level-triggered readiness of a descriptor the test makes and owns. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FdWatchTest {
    @Test
    void readableIsLevelTriggered() throws Exception {
        assertNoDescriptorLeak(() -> {
            List<Integer> readCounts = new ArrayList<>();
            try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
                FdWatch watch = new FdWatch(pipe.readFd);
                watch.onReadable(() -> {
                    // First call reads nothing: the byte is still there, so it is called again.
                    if (readCounts.isEmpty()) {
                        readCounts.add(0);
                    } else {
                        readCounts.add(pipe.read());
                        watch.unregister();
                    }
                });
                watch.register();
                Thread writer = new Thread(pipe::write, "writer");
                writer.start();
                loop.run();
                writer.join();
                assertFalse(watch.isRegistered());
            }
            assertEquals(List.of(0, 1), readCounts);
        });
    }

    @Test
    void writableFiresOnAPipeWithRoom() throws Exception {
        assertNoDescriptorLeak(() -> {
            int[] calls = new int[1];
            try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
                FdWatch watch = new FdWatch(pipe.writeFd);
                watch.onWritable(() -> {
                    calls[0]++;
                    watch.unregister();
                }).register();
                loop.run();
            }
            assertEquals(1, calls[0]);
        });
    }

    @Test
    void hangUpIsReportedAsAnErrorAndReadersSeeTheEndOfFile() throws Exception {
        assertNoDescriptorLeak(() -> {
            List<String> ran = new ArrayList<>();
            try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
                FdWatch watch = new FdWatch(pipe.readFd);
                watch.onReadable(() -> ran.add("readable, read " + pipe.read()));
                watch.onError(() -> {
                    ran.add("error");
                    watch.unregister();
                });
                watch.register();
                pipe.closeWriteEnd();
                loop.run();
            }
            assertEquals(List.of("readable, read 0", "error"), ran);
        });
    }

    @Test
    void aWriteEndWhoseReaderIsGoneReportsAnError() throws Exception {
        assertNoDescriptorLeak(() -> {
            List<String> ran = new ArrayList<>();
            try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
                FdWatch watch = new FdWatch(pipe.writeFd);
                watch.onError(() -> {
                    ran.add("error");
                    watch.unregister();
                }).register();
                pipe.closeReadEnd();
                loop.run();
            }
            assertEquals(List.of("error"), ran);
        });
    }

    @Test
    void handlersChangedWhileRegisteredTakeEffectAtOnce() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
            pipe.write();
            FdWatch watch = new FdWatch(pipe.readFd);
            watch.register(); // no handler: registered, not woken
            new Task(() -> {
                ran.add("task");
                watch.onReadable(() -> {
                    ran.add("readable");
                    watch.onReadable(null); // level-triggered: without this it would run again
                });
            }).register();
            Timer stop = new Timer(() -> {
                ran.add("timer");
                watch.unregister();
            });
            stop.expiresAfter(Duration.ofMillis(30)).register();
            loop.run();
        }
        assertEquals(List.of("task", "readable", "timer"), ran);
    }

    @Test
    void unregisteredByAnotherHandlerOfTheSameIterationItDoesNotRun() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open(); Pipe a = new Pipe(); Pipe b = new Pipe()) {
            a.write();
            b.write();
            FdWatch watchA = new FdWatch(a.readFd);
            FdWatch watchB = new FdWatch(b.readFd);
            // Both are ready in the same epoll batch, in an order the kernel picks: whichever
            // runs first unregisters the other, which then must not run.
            watchA.onReadable(() -> {
                ran.add("a");
                watchA.unregister();
                watchB.unregister();
            }).register();
            watchB.onReadable(() -> {
                ran.add("b");
                watchB.unregister();
                watchA.unregister();
            }).register();
            loop.run();
        }
        assertEquals(1, ran.size(), ran.toString());
    }

    @Test
    void unregisteredByItsOwnReadableHandlerItsOtherHandlersDoNotRun() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
            FdWatch watch = new FdWatch(pipe.readFd);
            watch.onReadable(() -> {
                ran.add("readable");
                watch.unregister();
            }).onError(() -> ran.add("error")).register();
            pipe.closeWriteEnd(); // hang-up: readable then error would both be due
            loop.run();
        }
        assertEquals(List.of("readable"), ran);
    }

    @Test
    void droppedInItsOwnHandlerItIsCollectable() throws Exception {
        WeakReference<FdWatch> reference;
        try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
            reference = registerSelfDroppingWatch(pipe.writeFd);
            loop.run();
        }
        assertCollectable(reference, "an FdWatch");
    }

    private static WeakReference<FdWatch> registerSelfDroppingWatch(int fd) {
        FdWatch[] holder = new FdWatch[1];
        holder[0] = new FdWatch(fd).onWritable(() -> {
            holder[0].unregister();
            holder[0] = null;
        });
        holder[0].register();
        return new WeakReference<>(holder[0]);
    }

    @Test
    void aDescriptorAlreadyWatchedInThisLoopIsRefused() throws Exception {
        assertNoDescriptorLeak(() -> {
            try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
                FdWatch first = new FdWatch(pipe.readFd);
                first.register();
                FdWatch second = new FdWatch(pipe.readFd);
                IllegalStateException e = assertThrows(IllegalStateException.class, second::register);
                assertTrue(e.getMessage().contains("already watched"), e.getMessage());
                assertFalse(second.isRegistered());
                first.unregister();

                EventRaw raw = new EventRaw(() -> { });
                raw.register();
                if (raw.backend() == Backend.EVENTFD) {
                    assertThrows(IllegalStateException.class, new FdWatch(raw.fd())::register);
                }
                raw.unregister();
                loop.run(); // nothing left registered: returns at once
            }
        });
    }

    @Test
    void unregisteringAWatchWhoseDescriptorWasClosedLeavesANewerWatchOfTheReusedNumberAlone() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open(); Pipe first = new Pipe()) {
            FdWatch stale = new FdWatch(first.readFd).onReadable(() -> ran.add("stale"));
            stale.register();
            int number = first.readFd;
            first.closeReadEnd(); // misuse: closed while watched; the kernel drops the epoll entry
            try (Pipe second = new Pipe()) {
                Assumptions.assumeTrue(second.readFd == number || second.writeFd == number,
                        "the kernel did not hand the closed number " + number + " out again (another thread took it)");
                int reused = second.readFd == number ? second.readFd : second.writeFd;
                FdWatch fresh = new FdWatch(reused);
                Runnable handler = () -> {
                    ran.add("fresh");
                    fresh.unregister();
                };
                if (reused == second.readFd) {
                    fresh.onReadable(handler);
                    second.write();
                } else {
                    fresh.onWritable(handler);
                }
                fresh.register();
                stale.unregister(); // must not remove fresh's epoll entry
                loop.run();
            }
        }
        assertEquals(List.of("fresh"), ran);
    }

    @Test
    void unregisteringAWatchWhoseNumberWasReusedLeavesTheNewOwnersEntryAlone() throws Exception {
        try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
            FdWatch watch = new FdWatch(pipe.readFd).onReadable(() -> {});
            watch.register();
            int number = pipe.readFd;
            pipe.closeReadEnd(); // misuse: closed while watched; the kernel drops its epoll entry
            // Register EventRaws until one is given the freed number (the kernel hands out the
            // lowest free one; other threads of this JVM may take lower holes meanwhile).
            List<EventRaw> others = new ArrayList<>();
            EventRaw reused = null;
            int[] runs = new int[1];
            for (int i = 0; i < 64 && reused == null; i++) {
                EventRaw ev = new EventRaw(() -> {
                    runs[0]++;
                    loop.quit();
                });
                ev.register();
                if (ev.fd() == number) {
                    reused = ev;
                } else {
                    others.add(ev);
                }
            }
            others.forEach(EventRaw::unregister);
            Assumptions.assumeTrue(reused != null, "no EventRaw was given the freed descriptor number " + number);
            watch.unregister(); // must not remove the EventRaw's entry, which now has that number
            Timer bound = new Timer(loop::quit).expiresAfter(Duration.ofSeconds(5));
            bound.register();
            Errors.check("write(eventfd)", Native.eventfdPost(reused.fd())); // a foreign post
            loop.run();
            assertEquals(1, runs[0], "the EventRaw that reused the number still receives foreign posts");
            bound.unregister();
            reused.unregister(); // its epoll entry is still there to remove: no exception
        }
    }

    @Test
    void aClosedDescriptorIsRefused() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            int closed;
            try (Pipe pipe = new Pipe()) {
                closed = pipe.writeFd;
            }
            // The number may be reused by another thread of this JVM at any time; only
            // check the message when it is still free.
            if (Descriptors.target(closed) == null) {
                RuntimeException e = assertThrows(RuntimeException.class, new FdWatch(closed)::register);
                if (e instanceof IllegalArgumentException) {
                    assertTrue(e.getMessage().contains("not an open descriptor"), e.getMessage());
                }
            }
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, new FdWatch(Integer.MAX_VALUE)::register);
            assertTrue(huge.getMessage().contains("not an open descriptor"), huge.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new FdWatch(-1));
            loop.run(); // returns at once only if the refused watches left nothing registered
        }
    }

    @Test
    void aRegularFileIsRefusedAsNotPollable(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("plain.txt"), "regular file");
        try (EventLoop loop = EventLoop.open(); FileInputStream in = new FileInputStream(file.toFile())) {
            int fd = descriptorOf(file);
            Assumptions.assumeTrue(fd >= 0, "the test could not find the descriptor of its open file in /proc/self/fd");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, new FdWatch(fd)::register);
            assertTrue(e.getMessage().contains("cannot be watched"), e.getMessage());
            loop.run(); // returns at once only if the refused watch left nothing registered
        }
    }

    @Test
    void theLoopsOwnEpollDescriptorIsRefused() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            int epollFd = LoopPeek.epollFd(loop);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, new FdWatch(epollFd)::register);
            assertTrue(e.getMessage().contains("cannot be watched"), e.getMessage());
        }
    }

    @Test
    void handlersOfARegisteredWatchBelongToItsThread() throws Exception {
        try (EventLoop loop = EventLoop.open(); Pipe pipe = new Pipe()) {
            FdWatch watch = new FdWatch(pipe.readFd);
            watch.register();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    watch.onReadable(() -> { });
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "other");
            other.start();
            other.join();
            assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
            assertTrue(failure.get().getMessage().contains("other"), failure.get().getMessage());
            watch.unregister();
        }
    }

    /** The descriptor number this process has open on {@code file}, or -1. */
    private static int descriptorOf(Path file) throws Exception {
        String target = file.toRealPath().toString();
        return Descriptors.snapshot().entrySet().stream().filter(e -> e.getValue().equals(target))
                .mapToInt(Map.Entry::getKey).findFirst().orElse(-1);
    }
}
