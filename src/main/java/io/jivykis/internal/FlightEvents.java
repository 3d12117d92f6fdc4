package io.jivykis.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event types of a loop. Loaded only through {@link Flight} when jdk.jfr is present.
 * Both are disabled by default: a recording enables them by name, for example
 * {@code -XX:StartFlightRecording:+io.jivykis.LoopWait#enabled=true,+io.jivykis.LoopBlocked#enabled=true}.
 */
final class FlightEvents {
    /** How many frames of the loop thread's stack a LoopBlocked event keeps. */
    private static final int STACK_FRAMES = 64;

    private FlightEvents() {}

    /** One wait of a loop in epoll that could block; its duration is the time it waited. */
    @Name("io.jivykis.LoopWait")
    @Label("Loop Wait")
    @Category("jivykis")
    @Description("An event loop waited in epoll for a descriptor, a post or its next timer")
    @Enabled(false)
    @StackTrace(false)
    static final class LoopWait extends Event {
        @Label("Timeout")
        @Description("The longest the wait could last; -1 without limit")
        @Timespan
        long timeout;

        @Label("Ready")
        @Description("How many descriptors the wait reported ready (the wake-up descriptor included)")
        int ready;
    }

    /** A step of a loop held its thread past the loop's blocked threshold. */
    @Name("io.jivykis.LoopBlocked")
    @Label("Loop Blocked")
    @Category("jivykis")
    @Description("One handler (or the loop's own code) held an event loop's thread past its blocked threshold")
    @Enabled(false)
    @StackTrace(false) // the emitting thread is the watchdog: the loop thread's stack is a field
    static final class LoopBlocked extends Event {
        @Label("Loop Thread")
        Thread loopThread;

        @Label("Kind")
        @Description("What the step dispatched: Timer, EventRaw, FdWatch..., executor, or loop for its own code")
        String kind;

        @Label("Blocked For")
        @Description("How long the step had held the thread when the warning was made (a lower bound)")
        @Timespan
        long blockedFor;

        @Label("Threshold")
        @Timespan
        long threshold;

        @Label("Stack")
        @Description("The loop thread's stack at that moment, innermost frame first")
        String stack;
    }

    /** Read only for its isEnabled(), which JFR makes a check of the type's setting. */
    private static final LoopWait WAIT_PROBE = new LoopWait();

    static Object beginWait() {
        if (!WAIT_PROBE.isEnabled()) {
            return null;
        }
        LoopWait event = new LoopWait();
        event.begin();
        return event;
    }

    static void endWait(Object begun, long timeoutNanos, int ready) {
        LoopWait event = (LoopWait) begun;
        event.end();
        if (event.shouldCommit()) {
            event.timeout = timeoutNanos;
            event.ready = ready;
            event.commit();
        }
    }

    static void blocked(Thread loopThread, String kind, long lastedNanos, long thresholdNanos, StackTraceElement[] stack) {
        LoopBlocked event = new LoopBlocked();
        if (!event.isEnabled()) {
            return;
        }
        event.loopThread = loopThread;
        event.kind = kind;
        event.blockedFor = lastedNanos;
        event.threshold = thresholdNanos;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < stack.length && i < STACK_FRAMES; i++) {
            text.append(stack[i]).append('\n');
        }
        event.stack = text.toString();
        event.commit();
    }
}
