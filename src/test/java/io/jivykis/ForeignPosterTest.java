package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The posters of iv_event_raw(3) outside the JVM (paragraph 6, last two clauses: another
 * process may post, and so may a signal handler). Real child processes,
 * given the object's descriptor at spawn, post by writing it: one with jivykis-post, one from
 * a real SIGUSR1 handler. The handler must run on the registering thread, at least once and
 * never more often than the child posted.
 */
class ForeignPosterTest extends BackendCase {

    private static Path program(String name) {
        Path path = Paths.get(System.getProperty("jivykis.test.nativeDir", "target/native"), name);
        assumeTrue(Files.isExecutable(path), "the CMake build did not make " + path);
        return path;
    }

    /**
     * Registers an object, passes it to a child running {@code command} (with the name EV),
     * runs the loop until the child has exited and every write it made was dispatched, and
     * returns how many times the handler ran.
     */
    private static int callsFromChild(String... command) throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            Thread registering = Thread.currentThread();
            List<Thread> ranOn = new ArrayList<>();
            EventRaw ev = new EventRaw(() -> ranOn.add(Thread.currentThread()));
            ev.register();
            AtomicInteger exitStatus = new AtomicInteger(-1);
            EventRaw childExited = new EventRaw(() -> {
                ev.unregister();
                loop.quit();
            });
            childExited.register();
            ChildProcess child = new ChildProcessBuilder(command).pass(ev, "EV").start();
            // The child's writes happen before it exits, so once this post is dispatched its
            // writes are too: the loop dispatches ready descriptors before posted objects.
            Thread waiter = new Thread(() -> {
                try {
                    if (child.waitFor(Duration.ofSeconds(20))) {
                        exitStatus.set(child.waitFor());
                    } else {
                        child.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                childExited.post();
            }, "child-waiter");
            waiter.start();
            loop.run();
            waiter.join();
            childExited.unregister();
            assertEquals(0, exitStatus.get(), "exit status of " + String.join(" ", command));
            for (Thread t : ranOn) {
                assertEquals(registering, t, "the handler runs on the registering thread");
            }
            return ranOn.size();
        }
    }

    // iv_event_raw(3), paragraph 6, third clause: another process may post.
    @OnBothBackends
    void postFromADifferentProcess(Backend backend) throws Exception {
        use(backend);
        int calls = callsFromChild(program("jivykis-post").toString(), "-n", "3", "EV");
        assertTrue(calls >= 1 && calls <= 3, calls + " calls for 3 posts from the child");
    }

    // iv_event_raw(3), paragraph 6, last clause: posting is safe in a signal handler.
    @OnBothBackends
    void postFromASignalHandler(Backend backend) throws Exception {
        use(backend);
        int calls = callsFromChild(program("jivykis-test-signal-poster").toString(), "EV", "3");
        assertTrue(calls >= 1 && calls <= 3, calls + " calls for 3 posts from the child's signal handler");
    }
}
