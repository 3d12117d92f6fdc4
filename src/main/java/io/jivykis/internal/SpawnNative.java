package io.jivykis.internal;

/**
 * JNI binding for child processes (native/src/spawn.c): one native per system call, a
 * negative errno on failure. Only {@link Spawn} calls it.
 */
final class SpawnNative {
    private SpawnNative() {}

    /**
     * posix_spawn(p) of {@code program} with {@code argc} NUL-terminated arguments laid end
     * to end in {@code argv} and {@code envc} "NAME=value" strings in {@code env}. The child
     * gets stdio (fd 1 / 2 opened from {@code stdoutPath} / {@code stderrPath} when not
     * null), then {@code pass[i]} at descriptor 3 + i, and nothing else; it starts in
     * {@code directory} when not null, with an empty signal mask, ignored signals still
     * ignored and caught ones at their default action.
     * Every byte array is NUL-terminated. Returns the pid or a negative errno; on failure
     * nothing is left open.
     */
    static native int spawn(byte[] program, byte[] argv, int argc, byte[] env, int envc, int[] pass,
            byte[] directory, byte[] stdoutPath, byte[] stderrPath);

    /** waitid(P_PID, pid, WEXITED | WNOWAIT): blocks until the child exits, leaving it unreaped. 0 or a negative errno. */
    static native int awaitExit(int pid);

    /** waitpid(pid, WNOHANG): the exit code, 128 + the killing signal, -EAGAIN if still running, or a negative errno. */
    static native int reap(int pid);

    /**
     * pidfd_open(pid), checked to name this process's unreaped child: the descriptor,
     * -ESRCH when the pid is not that any more, or another negative errno (-ENOSYS: no pidfds).
     */
    static native int pidfdOpen(int pid);

    /** waitid(P_PIDFD, pidfd, WEXITED | WNOWAIT): blocks until exactly that child exits, unreaped. 0 or a negative errno. */
    static native int awaitExitPidfd(int pidfd);

    /**
     * waitid(P_PIDFD, pidfd, WEXITED | WNOHANG): reaps exactly that child; the exit code, 128 +
     * the killing signal, -EAGAIN while it runs, or a negative errno (-ECHILD: reaped elsewhere).
     */
    static native int reapPidfd(int pidfd);

    /** pidfd_send_signal(SIGKILL if {@code forcibly}, else SIGTERM): 0 or a negative errno (-ESRCH: reaped). */
    static native int signalPidfd(int pidfd, boolean forcibly);

    /**
     * kill(pid, SIGKILL or SIGTERM) if {@code pid} is still this process's unreaped child
     * (else -ESRCH): the fallback without pidfds. 0 or a negative errno.
     */
    static native int signalPid(int pid, boolean forcibly);
}
