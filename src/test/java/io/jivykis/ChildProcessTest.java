package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.testing.Descriptors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, waiting for, reaping and killing children; what they inherit; failures to start. */
class ChildProcessTest extends BackendCase {
    @TempDir
    Path tmp;

    @Test
    void waitForReturnsTheExitCodeAndLeavesNoZombie() throws Exception {
        ChildProcess child = new ChildProcessBuilder("/bin/sh", "-c", "exit 7").start();
        assertEquals(7, child.waitFor());
        assertFalse(child.isAlive());
        assertEquals(7, child.waitFor(), "the status stays available");
        assertFalse(Files.exists(Paths.get("/proc/" + child.pid())), "child " + child.pid() + " was not reaped");
    }

    @Test
    void aChildNobodyWaitsForIsReapedAnyway() throws Exception {
        ChildProcess child = new ChildProcessBuilder("/bin/true").start();
        Path proc = Paths.get("/proc/" + child.pid());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(proc) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(Files.exists(proc), "child " + child.pid() + " is still in the process table: a zombie");
    }

    @Test
    void aKilledChildReports128PlusTheSignal() throws Exception {
        ChildProcess terminated = new ChildProcessBuilder("/bin/sleep", "30").start();
        assertTrue(terminated.isAlive());
        assertFalse(terminated.waitFor(Duration.ofMillis(50)), "sleep 30 exited early");
        terminated.destroy();
        assertEquals(128 + 15, terminated.waitFor(), "SIGTERM is 15");

        ChildProcess killed = new ChildProcessBuilder("/bin/sleep", "30").start();
        killed.destroyForcibly();
        assertTrue(killed.waitFor(Duration.ofSeconds(10)));
        assertEquals(128 + 9, killed.waitFor(), "SIGKILL is 9");
        killed.destroy(); // after reaping: does nothing, signals nobody
        killed.destroyForcibly();
        assertThrows(IllegalStateException.class, killed::toHandle);
    }

    @Test
    void toHandleDescribesTheLiveChild() throws Exception {
        ChildProcess child = new ChildProcessBuilder("/bin/sleep", "30").start();
        try {
            ProcessHandle handle = child.toHandle();
            assertEquals(child.pid(), handle.pid());
            assertEquals(ProcessHandle.current().pid(), handle.parent().orElseThrow().pid());
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    @Test
    void directoryEnvironmentAndRedirectsReachTheChild() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("work dir"));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ChildProcessBuilder builder = new ChildProcessBuilder(List.of("/bin/sh", "-c",
                "pwd; echo \"$GREETING\"; echo \"${JIVYKIS_FD_STALE-unset}\"; echo oops >&2"))
                .directory(dir).redirectOutput(out).redirectError(err);
        builder.environment().put("GREETING", "hello child");
        // A JIVYKIS_FD_ variable whose descriptor is not passed must not reach the child.
        builder.environment().put("JIVYKIS_FD_STALE", "eventfd:3");
        assertEquals(0, builder.start().waitFor());
        assertEquals(dir.toRealPath() + "\nhello child\nunset\n", Children.read(out));
        assertEquals("oops\n", Children.read(err));
    }

    @Test
    void failureToStartNamesTheProgramAndTheErrnoTextAndLeaksNothing() throws Exception {
        Path script = tmp.resolve("not-executable.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
        try (EventLoop loop = EventLoop.open()) {
            EventRaw event = new EventRaw(() -> {});
            event.register();
            Map<Integer, String> before = Descriptors.libraryKinds();

            UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                    () -> new ChildProcessBuilder("no-such-program-jivykis").pass(event, "WAKE").start());
            assertTrue(missing.getMessage().contains("\"no-such-program-jivykis\""), missing.getMessage());
            assertTrue(missing.getMessage().contains("No such file or directory"), missing.getMessage());

            UncheckedIOException notExecutable = assertThrows(UncheckedIOException.class,
                    () -> new ChildProcessBuilder(script.toString()).pass(event, "WAKE").start());
            assertTrue(notExecutable.getMessage().contains(script.toString()), notExecutable.getMessage());
            assertTrue(notExecutable.getMessage().contains("Permission denied"), notExecutable.getMessage());

            Path nowhere = tmp.resolve("no-such-dir");
            UncheckedIOException badDirectory = assertThrows(UncheckedIOException.class,
                    () -> new ChildProcessBuilder("/bin/true").directory(nowhere).pass(event, "WAKE").start());
            assertTrue(badDirectory.getMessage().contains("\"/bin/true\""), badDirectory.getMessage());
            assertTrue(badDirectory.getMessage().contains("No such file or directory"), badDirectory.getMessage());
            assertTrue(badDirectory.getMessage().contains(nowhere.toString()), badDirectory.getMessage());

            UncheckedIOException badRedirect = assertThrows(UncheckedIOException.class,
                    () -> new ChildProcessBuilder("/bin/true").redirectOutput(nowhere.resolve("out")).start());
            assertTrue(badRedirect.getMessage().contains("redirect file"), badRedirect.getMessage());

            Descriptors.assertNoneLeaked(before, "failed starts");
            event.unregister();
        }
    }

    @Test
    void namesAreUpperCaseLettersDigitsAndUnderscores() {
        try (EventLoop loop = EventLoop.open()) {
            EventRaw event = new EventRaw(() -> {});
            event.register();
            for (String bad : new String[] {"wake", "", "A-B", "A B", "É", "A=B"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> new ChildProcessBuilder("/bin/true").pass(event, bad), bad);
                assertTrue(e.getMessage().contains("[A-Z0-9_]+"), e.getMessage());
            }
            ChildProcessBuilder builder = new ChildProcessBuilder("/bin/true").pass(event, "WAKE_1");
            assertThrows(IllegalArgumentException.class, () -> builder.pass(event, "WAKE_1"), "a name twice");
            event.unregister();
        }
        assertThrows(IllegalArgumentException.class, () -> new ChildProcessBuilder());
        assertThrows(IllegalArgumentException.class, () -> new ChildProcessBuilder("/bin/echo", "a\0b"));
    }

    @Test
    void aPassedEventMustBeRegisteredOnTheStartingThread() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            EventRaw unregistered = new EventRaw(() -> {});
            IllegalStateException notRegistered = assertThrows(IllegalStateException.class,
                    () -> new ChildProcessBuilder("/bin/true").pass(unregistered, "WAKE").start());
            assertTrue(notRegistered.getMessage().contains("not registered"), notRegistered.getMessage());

            EventRaw event = new EventRaw(() -> {});
            event.register();
            AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    new ChildProcessBuilder("/bin/true").pass(event, "WAKE").start();
                } catch (Throwable t) {
                    fromOtherThread.set(t);
                }
            }, "other-starter");
            other.start();
            other.join();
            assertTrue(fromOtherThread.get() instanceof IllegalStateException, String.valueOf(fromOtherThread.get()));
            assertTrue(fromOtherThread.get().getMessage().contains("other-starter"), fromOtherThread.get().getMessage());
            event.unregister();
        }
    }

    /** The C child lists /proc/self/fd: stdio and the passed descriptors, nothing of this JVM. */
    @OnBothBackends
    void theChildGetsExactlyStdioAndThePassedDescriptors(Backend backend) throws Exception {
        use(backend);
        Path out = tmp.resolve("fds.txt");
        try (EventLoop loop = EventLoop.open()) {
            EventRaw first = new EventRaw(() -> {});
            EventRaw second = new EventRaw(() -> {});
            first.register();
            second.register();
            Map<Integer, String> before = Descriptors.libraryKinds();
            ChildProcess child = new ChildProcessBuilder(Children.nativeProgram("posting-child").toString(),
                    "FIRST", "0", "-").pass(first, "FIRST").pass(second, "SECOND").redirectOutput(out).start();
            assertEquals(0, child.waitFor(), Children.read(out));
            assertEquals("fds: 0 1 2 3 4\nposted=0 epipe=0\n", Children.read(out));
            runPending(loop); // the loop sees the end of file of the child's two holder pipes
            Descriptors.assertNoneLeaked(before, "the child ran");

            // The shell sees the same table, and the announcements.
            Path env = tmp.resolve("env.txt");
            ChildProcess shell = new ChildProcessBuilder("/bin/sh", "-c",
                    "ls /proc/$$/fd | sort -n | tr '\\n' ' '; echo; env | grep ^JIVYKIS_FD_ | sort")
                    .pass(first, "FIRST").pass(second, "SECOND").redirectOutput(env).start();
            assertEquals(0, shell.waitFor());
            String kind = "pipe"; // a pipe of the child's own, whatever the event's backend
            String listing = Children.read(env);
            assertTrue(listing.startsWith("0 1 2 3 4 "), listing);
            assertTrue(listing.endsWith("JIVYKIS_FD_FIRST=" + kind + ":3\nJIVYKIS_FD_SECOND=" + kind + ":4\n"), listing);
            first.unregister();
            second.unregister();
        }
    }
}
