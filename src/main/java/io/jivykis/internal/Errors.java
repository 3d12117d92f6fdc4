package io.jivykis.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The one place where a negative errno from a native becomes an exception. */
public final class Errors {
    private Errors() {}

    /**
     * Returns {@code result} when it is not negative.
     *
     * @param call what was called, as the user would recognise it ("eventfd", "epoll_ctl(ADD, fd 7)")
     * @throws UncheckedIOException naming the call, the errno text and number
     */
    public static int check(String call, int result) {
        if (result < 0) {
            throw failure(call, -result);
        }
        return result;
    }

    /** Like {@link #check(String, int)} for natives that return a long. */
    public static long check(String call, long result) {
        if (result < 0) {
            throw failure(call, (int) -result);
        }
        return result;
    }

    /** The exception for a failed call with a positive errno. */
    public static UncheckedIOException failure(String call, int errno) {
        // The message is given to both, so getMessage() reads "eventfd failed: Too many open
        // files (errno 24)" and not the cause's toString().
        String message = call + " failed: " + describe(errno);
        return new UncheckedIOException(message, new IOException(message));
    }

    /** The errno's text and number, e.g. "Too many open files (errno 24)". */
    public static String describe(int errno) {
        return Native.strerror(errno) + " (errno " + errno + ")";
    }
}
