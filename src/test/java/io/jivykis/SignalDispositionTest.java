package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.children.SignalChildMain;
import io.jivykis.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM in a child JVM: a SignalHandler takes it over from the JVM, and once the last one
 * unregisters the previous disposition is back: the JVM's shutdown hooks run again, or,
 * under -Xrs, the default action kills the process without them.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalDispositionTest {

    @Test
    void afterTheLastUnregisterSigtermRunsTheShutdownHooksAgain() throws Exception {
        List<String> out = runChild(false);
        assertTrue(out.contains("disposition before: other"), "the JVM handles SIGTERM at start: " + out);
        assertTrue(out.contains("registered, disposition: jivykis"), out.toString());
        assertTrue(out.contains("handled SIGTERM on main"), "the first SIGTERM ran the handler: " + out);
        assertTrue(out.contains("unregistered, disposition: other"), "the JVM's handler is back: " + out);
        assertTrue(out.contains("shutdown hook ran"), "the second SIGTERM ran the shutdown hooks: " + out);
        assertEquals(1, out.stream().filter("shutdown hook ran"::equals).count(), out.toString());
        assertTrue(out.get(out.size() - 1).equals("exit 143"), "the JVM exits with 128 + SIGTERM: " + out);
    }

    @Test
    void underXrsSigtermIsHandledAndThenKillsWithoutShutdownHooks() throws Exception {
        List<String> out = runChild(true);
        assertTrue(out.contains("disposition before: default"), "-Xrs leaves SIGTERM at SIG_DFL: " + out);
        assertTrue(out.contains("handled SIGTERM on main"), "the first SIGTERM ran the handler: " + out);
        assertTrue(out.contains("unregistered, disposition: default"), "SIG_DFL is back: " + out);
        assertFalse(out.contains("shutdown hook ran"), "-Xrs: no shutdown hooks on SIGTERM: " + out);
        assertTrue(out.get(out.size() - 1).equals("exit 143"), "killed by SIGTERM: " + out);
    }

    /**
     * Starts the child, sends SIGTERM once it has registered and again once it has
     * unregistered; returns its stdout lines plus "exit N".
     */
    private static List<String> runChild(boolean reduceSignalUsage) throws Exception {
        ChildJvm jvm = ChildJvm.of(SignalChildMain.class);
        if (reduceSignalUsage) {
            jvm.jvmArgs("-Xrs");
        }
        List<String> command = jvm.command();
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        child.getOutputStream().close(); // the child reads nothing; do not leave the pipe to the GC
        int pid = (int) child.pid();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("registered")) {
                    assertTrue(child.toHandle().destroy(), "kill -TERM " + pid); // destroy(): SIGTERM
                } else if (line.startsWith("unregistered")) {
                    assertTrue(child.toHandle().destroy(), "kill -TERM " + pid); // destroy(): SIGTERM
                }
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not exit: " + lines);
        } finally {
            child.destroyForcibly();
        }
        lines.add("exit " + child.exitValue());
        return lines;
    }
}
