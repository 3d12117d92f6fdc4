package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.Backend;
import io.jivykis.children.DescriptorLimitProbe;
import io.jivykis.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * EMFILE, provoked for real in a child JVM whose RLIMIT_NOFILE is 128 ({@link DescriptorLimitProbe}):
 * register() fails with an UncheckedIOException carrying the errno text, leaves nothing
 * half-registered and leaks nothing; opening a loop at the limit fails the same way; once
 * descriptors are free again registering and dispatching work and every count is back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmfileTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void registerAtTheDescriptorLimitFailsCleanlyAndLeaksNothing(Backend backend, @TempDir Path crashDir)
            throws Exception {
        ChildJvm.Result child = ChildJvm.of(DescriptorLimitProbe.class, backend.name().toLowerCase(Locale.ROOT))
                .under("bash", "-c", "ulimit -n 128 && exec \"$@\"", "--").crashLogsIn(crashDir).run();
        System.out.print(child.output);
        assertTrue(child.crashLogs.isEmpty(), child.toString());
        assertEquals(0, child.exitCode, child.toString());

        // The call that makes an object's descriptor makes a loop's wake-up descriptor too.
        String call = backend == Backend.EVENTFD ? "eventfd" : "pipe2";
        assertTrue(value(child, "register-failure").startsWith(call + " failed: Too many open files (errno 24)"),
                child.toString());
        assertTrue(Integer.parseInt(value(child, "registered")) > 10, child.toString());
        assertEquals("false fd=-1", value(child, "half-registered"));

        assertTrue(value(child, "open-with-none-free").startsWith("epoll_create1 failed: Too many open files"),
                child.toString());
        assertTrue(value(child, "open-with-none-free").endsWith("isOpen=false"), child.toString());
        assertTrue(value(child, "open-with-one-free").startsWith(call + " failed: Too many open files"),
                child.toString());
        assertEquals("1", value(child, "free-after-failed-open"), "the failed open must close its epoll descriptor");

        assertEquals(backend.name(), value(child, "register-after-freeing"));
        assertEquals("1", value(child, "handler-calls-after-the-limit"), "the loop dispatches after the refusal");
        assertEquals(value(child, "descriptors-at-open"), value(child, "descriptors-after-unregistering"),
                "descriptors with the loop open, before filling it and after emptying it");
        assertEquals("nothing", value(child, "leaked"), child.toString());
        assertEquals(value(child, "descriptors-baseline"), value(child, "descriptors-after-close"),
                "descriptors before the loop was opened and after it was closed");
    }

    private static String value(ChildJvm.Result child, String key) {
        List<String> lines = child.lines(key + ": ");
        assertEquals(1, lines.size(), key + " in " + child);
        return lines.get(0).substring(key.length() + 2);
    }
}
