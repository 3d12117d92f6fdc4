package io.jivykis;

import io.jivykis.internal.Errors;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Spawn;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process started by {@link ChildProcessBuilder}.
 *
 * <p><b>Reaping.</b> No zombie is ever left behind, whether or not anyone calls
 * {@link #waitFor()}: each child has a small daemon thread ("jivykis-reaper-PID") that waits
 * for it to exit and reaps it at once, recording its status for {@code waitFor()}. The
 * thread first waits without reaping (waitid with WNOWAIT) and reaps under the same lock
 * that {@link #destroy()} and {@link #destroyForcibly()} take.
 *
 * <p><b>Signals reach exactly this child.</b> Where the kernel has pidfds (Linux 5.4 and
 * later) the child is signalled through one, opened as it starts: even if something else in
 * this process reaps it (a {@code waitpid(-1)}, SIGCHLD set to SIG_IGN) and its number is
 * given to a new process, the signal cannot reach that process. Without pidfds, a signal is
 * sent only while the pid is still this process's unreaped child (checked just before, and
 * never after jivykis's own reaper has reaped it).
 *
 * <p>The status is the exit code, or 128 plus the number of the signal that killed the
 * child (as a shell reports it): a child killed by SIGKILL reports 137.
 */
public final class ChildProcess {
    private final int pid;
    /** A pidfd naming exactly the child, or -1 (no pidfds); closed once reaped, under {@link #lock}. */
    private int pidfd;
    private final String program;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** Guards {@link #reaped}: signals are sent only while it is false. */
    private final Object lock = new Object();
    private boolean reaped;

    private ChildProcess(int pid, String program) {
        this.pid = pid;
        this.program = program;
        int fd = Spawn.openPidfd(pid);
        this.pidfd = fd >= 0 ? fd : -1;
    }

    static ChildProcess started(int pid, String program) {
        ChildProcess child = new ChildProcess(pid, program);
        // A small stack: the thread only sits in waitid and waitpid.
        Thread reaper = new Thread(null, child::reap, "jivykis-reaper-" + pid, 64 * 1024);
        reaper.setDaemon(true);
        reaper.start();
        return child;
    }

    private void reap() {
        // Plain read: the constructor's value, published by Thread.start(); only this thread
        // changes it later, under the lock, below.
        int rc = Spawn.awaitExit(pidfd, pid);
        int status;
        synchronized (lock) {
            status = rc < 0 ? rc : Spawn.reap(pidfd, pid);
            reaped = true;
            Spawn.closePidfd(pidfd);
            pidfd = -1;
        }
        if (status >= 0) {
            exit.complete(status);
        } else if (status == -Linux.ECHILD) {
            exit.completeExceptionally(new IllegalStateException("child " + pid + " (" + program
                    + ") was reaped by someone else in this process (a waitpid(-1) or SIGCHLD set to SIG_IGN);"
                    + " its exit status is lost"));
        } else {
            exit.completeExceptionally(Errors.failure("waiting for child " + pid + " (" + program + ")", -status));
        }
    }

    /**
     * The child's process id.
     *
     * @return the pid; once the child is reaped it may name another process
     */
    public long pid() {
        return pid;
    }

    /**
     * A {@link ProcessHandle} for the child, for {@code info()}, {@code descendants()} and so on.
     *
     * @return a handle for the child's pid, taken while the pid is still the child's
     * @throws IllegalStateException if the child has exited and been reaped
     */
    public ProcessHandle toHandle() {
        synchronized (lock) {
            if (!reaped) {
                return ProcessHandle.of(pid).orElseThrow(() -> exited());
            }
        }
        throw exited();
    }

    private IllegalStateException exited() {
        return new IllegalStateException("child " + pid + " (" + program + ") has exited; its pid is no longer its own");
    }

    /**
     * Waits for the child to exit and returns its status: the exit code, or 128 + the signal
     * that killed it.
     *
     * @return the exit code (0 to 255), or 128 plus the number of the signal that killed it
     * @throws InterruptedException if this thread is interrupted while waiting
     * @throws IllegalStateException if something else in this process reaped the child (a
     *     {@code waitpid(-1)} in native code, or SIGCHLD set to SIG_IGN): its status is lost
     */
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    /**
     * Waits at most {@code timeout} for the child to exit.
     *
     * @param timeout the longest wait; zero or negative only checks, without waiting
     * @return whether it exited (then {@link #waitFor()} returns its status at once)
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        try {
            long nanos;
            try {
                nanos = Math.max(0, timeout.toNanos());
            } catch (ArithmeticException tooLong) {
                nanos = Long.MAX_VALUE;
            }
            exit.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    private static RuntimeException rethrown(ExecutionException e) {
        Throwable cause = e.getCause();
        return cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
    }

    /**
     * Whether the child has not exited yet (or has, and is about to be reaped).
     *
     * @return false once the child's exit status is known
     */
    public boolean isAlive() {
        return !exit.isDone();
    }

    /** Asks the child to terminate (SIGTERM). Does nothing once it has exited (whoever reaped it). */
    public void destroy() {
        signal(false);
    }

    /** Kills the child (SIGKILL). Does nothing once it has exited (whoever reaped it). */
    public void destroyForcibly() {
        signal(true);
    }

    private void signal(boolean forcibly) {
        synchronized (lock) {
            if (reaped) {
                return;
            }
            int rc = Spawn.signal(pidfd, pid, forcibly);
            if (rc == -Linux.ESRCH) {
                return; // exited, and reaped by someone else: nothing of this child is left to signal
            }
            Errors.check((forcibly ? "kill(SIGKILL, " : "kill(SIGTERM, ") + "child " + pid + ")", rc);
        }
    }

    @Override
    public String toString() {
        return "ChildProcess[pid " + pid + ", " + program + (isAlive() ? ", alive" : ", exited") + "]";
    }
}
