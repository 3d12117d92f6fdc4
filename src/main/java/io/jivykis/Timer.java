package io.jivykis;

import io.jivykis.internal.Deadlines;
import io.jivykis.internal.Native;
import io.jivykis.internal.OneShotSource;
import io.jivykis.internal.Registrar;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.Objects;

/**
 * A one-shot timer whose handler runs on the registering thread's loop once its deadline has
 * passed (ivykis's iv_timer).
 *
 * <p>Set the deadline with {@link #expiresAt(long)} (on the {@link System#nanoTime()} clock,
 * like {@link EventLoop#now()}) or {@link #expiresAfter(Duration)}, then {@link #register()}.
 * When the timer fires it is unregistered first, then its handler runs; for a periodic timer,
 * the handler sets the next deadline and registers it again.
 *
 * <p><b>Guarantees.</b> A timer never fires early: when its handler starts,
 * {@code System.nanoTime()} is at or past the deadline. It fires as soon after as the loop
 * allows: the loop waits with nanosecond precision through epoll_pwait2(2) where the kernel
 * offers it, else with epoll_wait(2) and the wait rounded up to the next millisecond (kernels
 * before 5.11, or a container whose seccomp filter refuses the call). Timers with the same
 * deadline fire in registration order; a deadline already past fires on the loop's next
 * iteration. Deadlines are compared by difference, as {@code System.nanoTime()} requires,
 * so they must lie within about 290 years of the present.
 *
 * <p>{@link #register()} and {@link #unregister()} belong to the registering thread; it may
 * unregister a timer from any handler of its loop (the timer then does not fire), and a
 * timer can be dropped in its own handler and garbage-collected. A registered timer keeps
 * {@link EventLoop#run()} going, which is how a timer bounds a run.
 */
public final class Timer {
    private static final Registrar<Timer, OneShotSource> REGISTRAR = new Registrar<>(MethodHandles.lookup(),
            Timer.class, OneShotSource.class,
            (timer, loop) -> OneShotSource.atDeadline(loop, timer.handler, timer.deadline), timer -> "a timer");

    /** Durations are capped here (about 73 years) so deadline differences cannot overflow. */
    private static final long MAX_DELAY_NANOS = Deadlines.MAX_NANOS;

    private final Runnable handler;
    /** The deadline on the System.nanoTime() clock; meaningful once {@link #hasDeadline} is set. */
    private long deadline;
    private boolean hasDeadline;

    /** The current registration, or null; owned by {@link #REGISTRAR} (volatile for {@link #isRegistered()}). */
    @SuppressWarnings("unused") // written through REGISTRAR
    private volatile OneShotSource registration;

    /**
     * Creates an unregistered timer with no deadline.
     *
     * @param handler what to run when the timer fires
     */
    public Timer(Runnable handler) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Sets the deadline to {@code nanoTime}, a value on the {@link System#nanoTime()} clock
     * (for example {@code EventLoop.current().now() + 5_000_000} for 5 ms after the current
     * iteration started). A past value fires on the next iteration after registering.
     *
     * @param nanoTime the deadline, a point on the {@link System#nanoTime()} clock; any value
     * @return this timer
     * @throws IllegalStateException while registered: unregister first, or set the next
     *     deadline from the handler, where the timer has already been unregistered
     */
    public Timer expiresAt(long nanoTime) {
        requireUnregistered("expiresAt");
        deadline = nanoTime;
        hasDeadline = true;
        return this;
    }

    /**
     * Sets the deadline to {@code delay} after now ({@code System.nanoTime()} at this call).
     * Zero or negative delays fire on the next iteration after registering; delays beyond
     * about 73 years are treated as 73 years.
     *
     * @param delay how long after this call the timer is due; not null
     * @return this timer
     * @throws IllegalStateException while registered (see {@link #expiresAt(long)})
     */
    public Timer expiresAfter(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        requireUnregistered("expiresAfter");
        long nanos;
        try {
            nanos = Math.min(delay.toNanos(), MAX_DELAY_NANOS);
        } catch (ArithmeticException tooLong) {
            nanos = delay.isNegative() ? -MAX_DELAY_NANOS : MAX_DELAY_NANOS;
        }
        deadline = System.nanoTime() + Math.max(nanos, -MAX_DELAY_NANOS);
        hasDeadline = true;
        return this;
    }

    /**
     * The deadline on the {@link System#nanoTime()} clock.
     *
     * @return the deadline last set by {@link #expiresAt(long)} or {@link #expiresAfter(Duration)}
     * @throws IllegalStateException if no deadline was set
     */
    public long deadline() {
        if (!hasDeadline) {
            throw new IllegalStateException("this Timer has no deadline yet: call expiresAt or expiresAfter");
        }
        return deadline;
    }

    /**
     * Registers in the calling thread's loop (iv_timer_register): the handler runs once the
     * deadline has passed.
     *
     * @throws IllegalStateException if already registered, if no deadline was set, or if
     *     this thread has no open loop
     */
    public void register() {
        if (!hasDeadline) {
            throw new IllegalStateException("Timer.register() on a timer with no deadline:"
                    + " call expiresAt(nanoTime) or expiresAfter(duration) first");
        }
        REGISTRAR.register(this, EventLoop::coreForRegister);
    }

    /**
     * Unregisters (iv_timer_unregister): the timer will not fire for this registration.
     *
     * @throws IllegalStateException if not registered (it has fired already, or was never
     *     registered), or called on another thread than the registering one
     */
    public void unregister() {
        REGISTRAR.unregister(this, " (it has fired already, or was never registered)");
    }

    /**
     * Whether the timer is registered and has not fired yet. Any thread.
     *
     * @return true from {@link #register()} until just before the handler runs, or until
     *     {@link #unregister()}
     */
    public boolean isRegistered() {
        return registration != null;
    }

    private void requireUnregistered(String method) {
        REGISTRAR.requireUnregistered(this, method, "unregister() it first, or set the next deadline from its"
                + " handler, where it is already unregistered");
    }
}
