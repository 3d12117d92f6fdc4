package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.children.OfferClient;
import io.jivykis.children.OfferingReceiver;
import io.jivykis.testing.ChildJvm;
import io.jivykis.testing.Descriptors;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Posting from an unrelated process: the owner offers its event at a Unix socket, the other
 * side connects and receives the descriptor (SCM_RIGHTS). Java and C receivers, permissions,
 * a receiver whose process died, and every way the offer can be refused.
 */
class EventOfferTest extends BackendCase {
    private static final int POSTS = 20;

    @TempDir
    Path tmp;

    /** Runs an unrelated process (plain ProcessBuilder: it inherits no descriptor) that posts with acks. */
    private void unrelatedProcessPostsWithAcks(Backend backend, List<String> command) throws Exception {
        use(backend);
        Path socket = tmp.resolve("wake.sock");
        Path fifo = Children.fifo(tmp.resolve("acks"));
        List<String> full = command.stream().map(w -> w.equals("SOCKET") ? socket.toString()
                : w.equals("ACKS") ? fifo.toString() : w).collect(java.util.stream.Collectors.toList());
        try (EventLoop loop = EventLoop.open(); Children.Acks acks = new Children.Acks(fifo, POSTS)) {
            EventRaw event = new EventRaw(acks.handler());
            event.register();
            Map<Integer, String> before = offerKinds();
            EventOffer offer = EventOffer.open(event, socket);
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(socket));
            // Plain ProcessBuilder: the process inherits no descriptor of this one. Files, not
            // pipes, for its stdio, so that this process's descriptor count stays comparable.
            Path outFile = tmp.resolve("client.txt");
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(outFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Children.runUntilQuitOrExit(loop, () -> process.onExit().join());
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            String out = Children.read(outFile);
            assertEquals(0, process.exitValue(), out);
            assertEquals(POSTS, acks.calls.get(), out);
            assertNull(acks.foreignThread);
            assertTrue(offer.handedOut() >= 1);
            offer.close();
            assertFalse(Files.exists(socket), "closing the offer removes the socket file");
            assertEquals(before, offerKinds(), "descriptors after the offer closed");
            event.unregister();
        }
    }

    /**
     * The kinds of descriptor an offer could leak (its sockets, and copies of the event's
     * eventfd or epoll instance). Pipes are left out here: the JDK's own process launching,
     * used to start the unrelated process, was seen to leave a pipe of its own now and then.
     * The holders' own pipes an offer makes are counted by HostileHolderTest, which starts
     * its processes without the JDK's launcher.
     */
    private static Map<Integer, String> offerKinds() {
        Map<Integer, String> fds = Descriptors.snapshot();
        fds.values().removeIf(t -> !(t.startsWith("socket:[") || t.startsWith("anon_inode:")));
        return fds;
    }

    @OnBothBackends
    void anUnrelatedJavaProcessConnectsAndPosts(Backend backend) throws Exception {
        unrelatedProcessPostsWithAcks(backend, ChildJvm.of(OfferClient.class, "SOCKET", String.valueOf(POSTS), "ACKS").command());
    }

    /** The C receiving end (jivykis_offer_connect through jivykis-post --socket), connecting anew for every post. */
    @OnBothBackends
    void anUnrelatedCProcessConnectsAndPosts(Backend backend) throws Exception {
        String script = "exec 4<\"$1\"; i=0; while [ $i -lt " + POSTS + " ]; do \"$3\" --socket \"$2\" || exit 1;"
                + " read ack <&4 || exit 3; i=$((i+1)); done";
        unrelatedProcessPostsWithAcks(backend, List.of("/bin/sh", "-c", script, "sh", "ACKS", "SOCKET",
                Children.nativeProgram("jivykis-post").toString()));
    }

    @OnBothBackends
    void anotherThreadConnectsWhileTheLoopRuns(Backend backend) throws Exception {
        use(backend);
        Path socket = tmp.resolve("t.sock");
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (EventLoop loop = EventLoop.open()) {
            EventOffer[] offer = new EventOffer[1];
            EventRaw event = new EventRaw(() -> {
                calls.incrementAndGet();
                offer[0].close(); // lets run() return once the event is unregistered too
                EventLoop.current().quit();
            });
            event.register();
            offer[0] = EventOffer.open(event, socket, PosixFilePermissions.fromString("rw-rw----"));
            assertEquals(PosixFilePermissions.fromString("rw-rw----"), Files.getPosixFilePermissions(socket));
            Thread connector = new Thread(() -> {
                try (Poster poster = Poster.connect(socket, Duration.ofSeconds(10))) {
                    assertEquals(Backend.PIPE, poster.backend()); // a pipe of its own, whatever the backend
                    poster.post();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            connector.start();
            loop.run();
            connector.join();
            assertNull(failure.get());
            assertEquals(1, calls.get());
            assertEquals(1, offer[0].handedOut());
            assertFalse(offer[0].isOpen());
            event.unregister();
        }
    }

    /** The receiver's process is gone: a poster still holding its descriptor posts without error or hang. */
    @OnBothBackends
    void postingToAReceiverWhoseProcessDiedNeitherFailsNorHangs(Backend backend) throws Exception {
        use(backend);
        Path socket = tmp.resolve("r.sock");
        Path out = tmp.resolve("receiver.txt");
        ChildProcess receiver = new ChildProcessBuilder(ChildJvm.of(OfferingReceiver.class, socket.toString()).command())
                .redirectOutput(out).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Children.read(out).contains("offering") && System.nanoTime() < deadline && receiver.isAlive()) {
                Thread.sleep(10);
            }
            assertTrue(Children.read(out).contains("offering"), "receiver output: " + Children.read(out));
            try (Poster poster = Poster.connect(socket)) {
                assertEquals(Backend.PIPE, poster.backend()); // a pipe of its own, whatever the backend
                poster.post();
                receiver.destroyForcibly();
                assertEquals(137, receiver.waitFor());
                for (int i = 0; i < 100_000; i++) {
                    poster.post(); // the pipe answers EPIPE, the eventfd counter fills up: neither is an error
                }
            }
        } finally {
            receiver.destroyForcibly();
            Files.deleteIfExists(socket);
        }
    }

    /**
     * A process that sees the socket file and connects at once is answered: the file appears
     * only when the socket listens (a watcher that polls for the path, as scripts do, must
     * never meet "Connection refused").
     */
    @Test
    void theSocketFileAppearsOnlyOnceTheOfferListens() throws Exception {
        for (int round = 0; round < 100; round++) {
            Path socket = tmp.resolve("race" + round + ".sock");
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            // The watcher starts first, so that it sees the file the moment it appears.
            Thread watcher = new Thread(() -> {
                while (!Files.exists(socket)) {
                    Thread.onSpinWait();
                }
                try (Poster poster = Poster.connect(socket)) {
                    poster.post();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "watcher-" + round);
            watcher.setDaemon(true);
            watcher.start();
            LoopThread owner = LoopThread.start("owner-" + round, loop -> {
                EventOffer[] offer = new EventOffer[1];
                EventRaw[] event = new EventRaw[1];
                event[0] = new EventRaw(() -> {
                    calls.incrementAndGet();
                    offer[0].close();
                    event[0].unregister();
                });
                event[0].register();
                offer[0] = EventOffer.open(event[0], socket);
            });
            watcher.join(10_000);
            assertNull(failure.get(), "connecting as soon as the file appeared");
            owner.finish(10_000, "the handler closes the offer and unregisters the event");
            assertEquals(1, calls.get());
        }
    }

    @Test
    void everyRefusalSaysWhy() throws Exception {
        Path socket = tmp.resolve("x.sock");
        UncheckedIOException none = assertThrows(UncheckedIOException.class, () -> Poster.connect(socket));
        assertTrue(none.getMessage().contains("No such file or directory") && none.getMessage().contains(socket.toString()),
                none.getMessage());
        try (EventLoop loop = EventLoop.open()) {
            Map<Integer, String> before = Descriptors.libraryKinds();
            EventRaw event = new EventRaw(() -> {});
            assertThrows(IllegalStateException.class, () -> EventOffer.open(event, socket), "not registered");
            event.register();

            Files.createFile(socket);
            UncheckedIOException exists = assertThrows(UncheckedIOException.class, () -> EventOffer.open(event, socket));
            assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
            Files.delete(socket);

            Path longPath = tmp.resolve("x".repeat(120));
            UncheckedIOException tooLong = assertThrows(UncheckedIOException.class, () -> EventOffer.open(event, longPath));
            assertTrue(tooLong.getMessage().contains("at most 107 bytes"), tooLong.getMessage());

            UncheckedIOException noDir = assertThrows(UncheckedIOException.class,
                    () -> EventOffer.open(event, tmp.resolve("no/such/dir.sock")));
            assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());

            // Another thread may not open an offer for this loop's event.
            EventOffer offer = EventOffer.open(event, socket);
            AtomicReference<Throwable> other = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    EventOffer.open(event, tmp.resolve("y.sock"));
                } catch (Throwable t) {
                    other.set(t);
                }
            });
            thread.start();
            thread.join();
            assertTrue(other.get() instanceof IllegalStateException, String.valueOf(other.get()));

            // Connecting while the owner's loop does not run: a bounded wait, then a clear error.
            UncheckedIOException timeout = assertThrows(UncheckedIOException.class,
                    () -> Poster.connect(socket, Duration.ofMillis(200)));
            assertTrue(timeout.getMessage().contains("is its event loop running?"), timeout.getMessage());

            // While the event is unregistered the offer hands out nothing, and says so.
            event.unregister();
            EventRaw[] closer = new EventRaw[1];
            closer[0] = new EventRaw(() -> {
                offer.close();
                closer[0].unregister(); // nothing left registered: run() returns
            });
            closer[0].register();
            AtomicReference<Throwable> refused = new AtomicReference<>();
            Thread connector = new Thread(() -> {
                try {
                    Poster.connect(socket).close();
                } catch (Throwable t) {
                    refused.set(t);
                }
                closer[0].post();
            });
            connector.start();
            loop.run(); // answers the connection, then the closer ends it
            connector.join();
            assertTrue(refused.get() instanceof UncheckedIOException, String.valueOf(refused.get()));
            assertTrue(refused.get().getMessage().contains("no longer registered"), refused.get().getMessage());
            assertFalse(Files.exists(socket));
            UncheckedIOException closed = assertThrows(UncheckedIOException.class, () -> Poster.connect(socket));
            assertTrue(closed.getMessage().contains("No such file or directory"), closed.getMessage());
            Descriptors.assertNoneLeaked(before, "refused offers");
        }
    }
}
