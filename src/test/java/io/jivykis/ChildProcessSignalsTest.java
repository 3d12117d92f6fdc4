package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jivykis.children.IgnoredSignalsProbe;
import io.jivykis.internal.Spawn;
import io.jivykis.testing.ChildJvm;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Signals and children: {@link ChildProcess} signals exactly its own child, never a process
 * that inherited its pid, and a child keeps the signals this process ignores ignored, as
 * {@link ProcessBuilder} leaves them (nohup's SIGHUP).
 */
class ChildProcessSignalsTest {
    private static final Path LAST_PID = Paths.get("/proc/sys/kernel/ns_last_pid");

    /**
     * The child is reaped behind jivykis's back and its pid given, on purpose, to a new
     * process (ns_last_pid makes the kernel's next pid that one); destroyForcibly() must
     * leave that process alone. jivykis's own reaper is held off meanwhile by its lock, which
     * this thread holds: the window in which a stale pid could be signalled is made as wide
     * as the test needs.
     */
    @Test
    void aSignalNeverReachesAProcessThatInheritedTheChildsPid() throws Exception {
        assumeTrue(Files.isWritable(LAST_PID), "recycling a pid on purpose needs a writable " + LAST_PID);
        ChildProcess child = new ChildProcessBuilder("/bin/sleep", "60").start();
        int pid = (int) child.pid();
        Process stranger = null;
        try {
            synchronized (lockOf(child)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                assertEquals(0, Spawn.awaitExit(pid));
                assertEquals(128 + 9, Spawn.reap(pid), "reaped by someone else than jivykis");
                stranger = processWithPid(pid);
                assumeTrue(stranger != null, "another process took pid " + pid + " first; cannot recycle it on purpose");
                child.destroyForcibly();
                child.destroy();
            }
            assertFalse(stranger.waitFor(2, TimeUnit.SECONDS), "the process that inherited pid " + pid
                    + " was signalled by ChildProcess.destroy*() of the child that had it before");
        } finally {
            if (stranger != null) {
                stranger.destroyForcibly();
                stranger.waitFor();
            }
        }
    }

    /** Starts a process with pid {@code pid}, now free, through ns_last_pid; null if others keep taking it. */
    private static Process processWithPid(int pid) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            Files.write(LAST_PID, String.valueOf(pid - 1).getBytes(StandardCharsets.US_ASCII));
            Process p = new ProcessBuilder("/bin/sleep", "60").start();
            if (p.pid() == pid) {
                return p;
            }
            p.destroyForcibly();
            p.waitFor();
        }
        return null;
    }

    private static Object lockOf(ChildProcess child) throws ReflectiveOperationException {
        Field lock = ChildProcess.class.getDeclaredField("lock");
        lock.setAccessible(true);
        return lock.get(child);
    }

    /** Under nohup (SIGHUP ignored), a child started by jivykis still ignores SIGHUP, as ProcessBuilder's do. */
    @Test
    void anIgnoredSignalStaysIgnoredInTheChild() throws Exception {
        ChildJvm.Result r = ChildJvm.of(IgnoredSignalsProbe.class)
                .under("/bin/sh", "-c", "trap '' HUP; exec \"$@\"", "sh").run();
        assertEquals(0, r.exitCode, r.output);
        Matcher m = Pattern.compile("SigIgn:\\s*([0-9a-f]+)").matcher(r.output);
        assertTrue(m.find(), r.output);
        long ignored = Long.parseUnsignedLong(m.group(1), 16);
        assertTrue((ignored & 1L) != 0, "SIGHUP (bit 0 of SigIgn) was reset to default in the child: " + r.output);
        assertTrue(r.output.contains("status 0"), r.output);
    }
}
