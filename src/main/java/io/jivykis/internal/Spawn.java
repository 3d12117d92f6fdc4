package io.jivykis.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * Child processes at the system-call level: starting one with exactly the given descriptors,
 * waiting for it, reaping it and signalling it. Wraps {@link SpawnNative}, turning Java
 * values into the C strings it takes; the policy (what to pass, when to reap, which lock
 * guards a signal) is the caller's.
 */
public final class Spawn {
    private Spawn() {}

    /**
     * Starts {@code command} (program first) with exactly {@code environment} ("NAME=value"
     * strings), stdio, and {@code pass[i]} at descriptor 3 + i; in {@code directory}, with
     * standard output and error sent to {@code output} and {@code error}, when not null.
     * Each string must be free of NUL. Returns the pid or a negative errno; on failure
     * nothing is left open.
     */
    public static int start(List<String> command, List<String> environment, int[] pass, Path directory,
            Path output, Path error) {
        Native.ensureLoaded();
        return SpawnNative.spawn(CStrings.terminated(command.get(0)), CStrings.block(command), command.size(),
                CStrings.block(environment), environment.size(), pass, absolute(directory), absolute(output),
                absolute(error));
    }

    private static byte[] absolute(Path path) {
        return path == null ? null : CStrings.terminated(path.toAbsolutePath().toString());
    }

    /** Blocks until child {@code pid} exits, leaving it unreaped: 0 or a negative errno. */
    public static int awaitExit(int pid) {
        return SpawnNative.awaitExit(pid);
    }

    /**
     * Reaps child {@code pid} if it has exited: its exit code, 128 + the killing signal,
     * -EAGAIN if still running, or a negative errno.
     */
    public static int reap(int pid) {
        return SpawnNative.reap(pid);
    }

    /** {@link #awaitExit(int)} through {@code pidfd} when it is not negative (exactly that child), else by pid. */
    public static int awaitExit(int pidfd, int pid) {
        return pidfd >= 0 ? SpawnNative.awaitExitPidfd(pidfd) : SpawnNative.awaitExit(pid);
    }

    /**
     * {@link #reap(int)} through {@code pidfd} when it is not negative: never the status of a
     * process that inherited the pid; else by pid.
     */
    public static int reap(int pidfd, int pid) {
        return pidfd >= 0 ? SpawnNative.reapPidfd(pidfd) : SpawnNative.reap(pid);
    }

    /**
     * A pidfd naming exactly child {@code pid}, or a negative errno: -ESRCH when the pid no
     * longer names this process's unreaped child, -ENOSYS (or another errno) without pidfd
     * support, when {@link #signal} falls back to the pid.
     */
    public static int openPidfd(int pid) {
        return SpawnNative.pidfdOpen(pid);
    }

    /**
     * Sends SIGKILL ({@code forcibly}) or SIGTERM to the child: through {@code pidfd} when it
     * is not negative (exactly that process, whoever reaped it), else to {@code pid} only
     * while it is still this process's unreaped child. 0, -ESRCH when the child is gone, or
     * another negative errno.
     */
    public static int signal(int pidfd, int pid, boolean forcibly) {
        return pidfd >= 0 ? SpawnNative.signalPidfd(pidfd, forcibly) : SpawnNative.signalPid(pid, forcibly);
    }

    /** Closes a pidfd from {@link #openPidfd}. */
    public static void closePidfd(int pidfd) {
        if (pidfd >= 0) {
            Native.close(pidfd);
        }
    }
}
