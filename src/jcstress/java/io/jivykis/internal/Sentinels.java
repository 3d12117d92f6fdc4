package io.jivykis.internal;

/** Sentinel pipes: opened right after a close, they take its numbers; nobody may write them. */
public final class Sentinels {
    private Sentinels() {}

    /**
     * Reads and closes a sentinel pipe made by {@link Native#pipe()}; returns the number of
     * bytes somebody wrote to it (0 when empty), or -1000 - errno when the pipe could not be
     * made or read.
     */
    public static int strayBytes(long ends) {
        if (ends < 0) {
            return -1000 + (int) ends;
        }
        int read = (int) (ends >>> 32);
        int n = Native.pipeDrain(read);
        Native.close(read);
        Native.close((int) ends);
        if (n == -Linux.EAGAIN) {
            return 0;
        }
        return n >= 0 ? n : -1000 + n;
    }
}
