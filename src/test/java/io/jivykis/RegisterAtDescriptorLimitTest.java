package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * register() when the kernel refuses a descriptor (EMFILE), provoked for real in a child JVM
 * whose RLIMIT_NOFILE is 128: an UncheckedIOException with the errno text, nothing
 * half-registered, nothing leaked; the same for opening a loop at the limit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegisterAtDescriptorLimitTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void registerAtTheDescriptorLimitFailsCleanlyWithTheErrnoText(Backend backend) throws Exception {
        String name = backend.name().toLowerCase(Locale.ROOT);
        JavaChild child = JavaChild.run(List.of("bash", "-c", "ulimit -n 128 && exec \"$@\"", "--"), List.of(),
                null, DescriptorLimitProbe.class, name);
        assertEquals(0, child.exitCode, child.toString());
        String failure = value(child, "register-failure");
        String call = backend == Backend.EVENTFD ? "eventfd" : "pipe2";
        assertTrue(failure.startsWith(call + " failed: Too many open files (errno 24)"), child.toString());
        assertTrue(Integer.parseInt(value(child, "registered")) > 10, child.toString());
        assertEquals("false fd=-1", value(child, "half-registered"));
        assertEquals(value(child, "registered"), value(child, "run-returned-after-unregistering"),
                "nothing half-registered in the loop");
        assertTrue(value(child, "open-with-none-free").startsWith("epoll_create1 failed: Too many open files"),
                child.toString());
        assertTrue(value(child, "open-with-none-free").endsWith("isOpen=false"), child.toString());
        String wake = backend == Backend.EVENTFD ? "eventfd" : "pipe2";
        assertTrue(value(child, "open-with-one-free").startsWith(wake + " failed: Too many open files"),
                child.toString());
        assertEquals("1", value(child, "free-after-failed-open"), "the failed open must close its epoll descriptor");
        assertEquals(backend.name(), value(child, "register-after-freeing"));
        assertEquals("nothing", value(child, "leaked"), child.toString());
    }

    private static String value(JavaChild child, String key) {
        List<String> lines = child.lines(key + ": ");
        assertEquals(1, lines.size(), key + " in " + child);
        return lines.get(0).substring(key.length() + 2);
    }
}
