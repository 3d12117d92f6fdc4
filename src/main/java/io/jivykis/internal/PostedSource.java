package io.jivykis.internal;

/**
 * The registration of an in-process event ({@code Event}): a slot in the loop and the loop's
 * post path, with no descriptor of its own.
 */
public final class PostedSource extends Source {
    private PostedSource(Loop loop, Runnable handler) {
        super(loop, handler);
    }

    /** Registers {@code handler} to run after posts. Loop thread only. */
    public static PostedSource open(Loop loop, Runnable handler) {
        PostedSource source = new PostedSource(loop, handler);
        source.attach();
        return source;
    }

    @Override
    protected void posted() {
        handler.run();
    }

    /** Nothing is held but the slot. */
    @Override
    protected void released() {}
}
