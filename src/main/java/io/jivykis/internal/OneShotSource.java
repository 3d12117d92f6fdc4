package io.jivykis.internal;

/**
 * The registration of an object that runs once when due: a {@code Timer} (at its deadline)
 * or a {@code Task} (on the next iteration). It detaches before the handler runs, so the
 * handler may register its object again (a periodic timer re-arms itself that way).
 */
public final class OneShotSource extends Source {
    private OneShotSource(Loop loop, Runnable handler) {
        super(loop, handler);
    }

    /** Registers {@code handler} to run once {@code deadlineNanos} (System.nanoTime()) has passed. Loop thread only. */
    public static OneShotSource atDeadline(Loop loop, Runnable handler, long deadlineNanos) {
        OneShotSource source = new OneShotSource(loop, handler);
        source.attach();
        source.armTimer(deadlineNanos);
        return source;
    }

    /** Registers {@code handler} to run once on the loop's next iteration. Loop thread only. */
    public static OneShotSource onNextIteration(Loop loop, Runnable handler) {
        OneShotSource source = new OneShotSource(loop, handler);
        source.attach();
        source.scheduleTask();
        return source;
    }

    @Override
    protected void due() {
        detach();
        handler.run();
    }

    /** Nothing is held but the slot and the timer or task entry, which detaching drops. */
    @Override
    protected void released() {}
}
