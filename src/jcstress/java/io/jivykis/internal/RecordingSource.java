package io.jivykis.internal;

import java.util.function.IntSupplier;

/**
 * The source the post races of this package dispatch: it counts its handler calls and
 * records what the last one read of the test's data (a plain field the poster writes before
 * it posts), and can re-post itself from its first call. Loop thread only.
 */
final class RecordingSource extends Source {
    private final IntSupplier data;
    private final boolean repostFromFirstCall;
    int calls;
    int seen;

    /** Attaches a new source to {@code loop}; {@code data} reads the test's plain field. */
    RecordingSource(Loop loop, IntSupplier data, boolean repostFromFirstCall) {
        super(loop);
        this.data = data;
        this.repostFromFirstCall = repostFromFirstCall;
        attach();
    }

    @Override
    protected void posted() {
        calls++;
        seen = data.getAsInt();
        if (repostFromFirstCall && calls == 1) {
            post();
        }
    }

    @Override
    protected void released() {}
}
