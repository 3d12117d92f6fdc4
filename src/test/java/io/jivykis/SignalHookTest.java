package io.jivykis;

import static io.jivykis.SignalTesting.killSelf;
import static io.jivykis.SignalTesting.raise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.testing.Descriptors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * The exported C hook: native code of the user's own, with its own sigaction handler,
 * posts an EventRaw with {@code jivykis_post(ev.fd())} and the Java handler runs.
 *
 * <p>The native side is native/test/signal_hook_test.c, which CMake builds into the
 * directory named by the system property {@code jivykis.test.nativeDir}. It resolves
 * jivykis_post from the shim the JVM has already loaded (see its comment for why and how).
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalHookTest {
    private static final String LIBRARY = "libjivykis_signal_hook_test.so";

    /** Installs the library's own handler for {@code signum}, posting {@code fd}: 0 or -errno. */
    private static native int installHook(int signum, int fd);

    /** Puts back the disposition installHook replaced: 0 or -errno. */
    private static native int removeHook(int signum);

    /** Calls jivykis_post(fd) once, outside any handler: 0 or -errno. */
    private static native int postOnce(int fd);

    @BeforeAll
    static void loadHookLibrary() {
        String dir = System.getProperty("jivykis.test.nativeDir");
        Assumptions.assumeTrue(dir != null,
                "system property jivykis.test.nativeDir is not set (run through Maven, which builds the C test library)");
        Path library = Paths.get(dir, LIBRARY).toAbsolutePath();
        assertTrue(Files.isRegularFile(library), library + " was not built by CMake");
        // The shim must be loaded first: the hook library looks it up among loaded libraries.
        EventLoop.open().close();
        System.load(library.toString());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNativeSignalHandlerOfTheUsersOwnPostsWithJivykisPost(Backend backend) throws Exception {
        int sig = Signals.rt(1);
        Map<Integer, String> descriptorsBefore = Descriptors.libraryKinds();
        SignalTesting.withBackend(backend, () -> {
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            try (EventLoop loop = EventLoop.open()) {
                EventRaw ev = new EventRaw(() -> {
                    calls.incrementAndGet();
                    ranOn.set(Thread.currentThread());
                    EventLoop.current().quit();
                });
                ev.register();
                assertEquals(backend, ev.backend());
                assertEquals(0, installHook(sig, ev.fd()), "installHook");
                try {
                    assertEquals(0, postOnce(ev.fd()), "jivykis_post outside a handler");
                    loop.run();
                    assertEquals(1, calls.get());

                    raise(sig); // the library's handler runs on this thread, posting the event
                    loop.run();
                    assertEquals(2, calls.get());

                    Thread killer = new Thread(() -> killSelf(sig), "killer");
                    killer.start();
                    loop.run();
                    killer.join();
                    assertEquals(3, calls.get());
                } finally {
                    assertEquals(0, removeHook(sig), "removeHook");
                }
                ev.unregister();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertEquals(Thread.currentThread(), ranOn.get());
        });
        Descriptors.assertNoneOpenedSince(descriptorsBefore);
    }
}
