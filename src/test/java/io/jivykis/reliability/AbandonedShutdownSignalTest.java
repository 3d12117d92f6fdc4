package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.children.AbandonedShutdownHandler;
import io.jivykis.testing.ChildJvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop whose thread ended with a SIGTERM handler registered gives SIGTERM back to the JVM
 * within a second, with no garbage collection: kill PID runs the shutdown hooks and the JVM
 * exits with the usual 128 + 15.
 */
@Timeout(60)
class AbandonedShutdownSignalTest {
    @TempDir
    Path tmp;

    @Test
    void sigtermStopsTheJvmSoonAfterTheRegisteringThreadEnded() throws Exception {
        // A file, not a pipe, for the output: destroy() closes the pipes of a Process.
        Path output = tmp.resolve("child.txt");
        Process child = new ProcessBuilder(ChildJvm.of(AbandonedShutdownHandler.class).command())
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readAllLines(output).contains("ended") && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(20);
        }
        assertTrue(Files.readAllLines(output).contains("ended"), "the child did not start: " + Files.readString(output));
        Thread.sleep(1000); // the contract: within a second of the thread's end
        child.destroy(); // SIGTERM
        boolean exited = child.waitFor(10, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly().waitFor();
        }
        List<String> lines = Files.readAllLines(output);
        assertTrue(exited, "SIGTERM did not stop the JVM: " + lines);
        assertTrue(lines.contains("hook ran"), "the shutdown hooks did not run: " + lines);
        assertFalse(lines.contains("jivykis handler ran"), "the abandoned handler took SIGTERM: " + lines);
        assertEquals(143, child.exitValue(), "exit code after SIGTERM: " + lines);
    }
}
