package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.children.TwoLoadersProbe;
import io.jivykis.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two copies of the library in one JVM (two class loaders, as application servers and
 * plugin hosts make): the second is refused at load with a message that says what to do,
 * and once the first loader is collected and its library unloaded, a new copy loads and
 * handles signals, and the JVM never crashes.
 */
@Timeout(120)
class TwoCopiesTest {
    @Test
    void aSecondCopyIsRefusedClearlyAndTheJvmNeverCrashes() throws Exception {
        ChildJvm.Result result = ChildJvm.of(TwoLoadersProbe.class).run();
        assertEquals(0, result.exitCode, result.toString());
        assertEquals("first: calls=1", result.lines("first: ").get(0), result.toString());
        String second = result.lines("second: ").get(0);
        assertTrue(second.startsWith("second: java.lang.UnsatisfiedLinkError: ")
                && second.contains("another copy of its native library is already loaded")
                && second.contains("one class loader that all its users share"), result.toString());
        assertTrue(result.crashLogs.isEmpty(), "crash logs: " + result.crashLogs);
        if (result.lines("first collected: true").isEmpty()) {
            return; // the collector kept the loader: the refusal above is the guarantee
        }
        assertEquals("third: calls=1", result.lines("third: ").get(0), result.toString());
        assertEquals(1, result.lines("alive").size(), result.toString());
    }
}
