package io.jivykis.children;

import io.jivykis.ChildProcessBuilder;

/**
 * A child JVM's main, started with SIGHUP ignored (as under nohup): starts grep through
 * {@link ChildProcessBuilder} to print the grandchild's own ignored-signal mask
 * ("SigIgn: ..." from /proc/self/status), then its exit status.
 */
public final class IgnoredSignalsProbe {
    private IgnoredSignalsProbe() {}

    public static void main(String[] args) throws Exception {
        int status = new ChildProcessBuilder("grep", "^SigIgn", "/proc/self/status").start().waitFor();
        System.out.println("status " + status);
    }
}
