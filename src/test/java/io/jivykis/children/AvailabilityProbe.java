package io.jivykis.children;

import io.jivykis.ChildProcessBuilder;
import io.jivykis.Event;
import io.jivykis.EventLoop;
import io.jivykis.EventOffer;
import io.jivykis.EventRaw;
import io.jivykis.FdWatch;
import io.jivykis.Poster;
import io.jivykis.SignalHandler;
import io.jivykis.Signals;
import io.jivykis.Task;
import io.jivykis.Timer;
import java.nio.file.Paths;

/**
 * A child JVM's main for the availability tests: prints what the three probes of
 * {@link EventLoop} say, then tries the first use of every public class twice and prints
 * "use &lt;what&gt; &lt;attempt&gt;: &lt;class&gt;: &lt;message&gt;" for each.
 */
public final class AvailabilityProbe {
    private AvailabilityProbe() {}

    public static void main(String[] args) {
        System.out.println("available " + EventLoop.isAvailable());
        Throwable cause = EventLoop.unavailabilityCause();
        System.out.println("cause " + (cause == null ? "null" : cause.getClass().getName() + ": " + cause.getMessage()));
        try {
            EventLoop.ensureAvailability();
            System.out.println("ensure returned");
        } catch (Throwable t) {
            System.out.println("ensure " + t.getClass().getName() + ": " + t.getMessage());
        }
        for (int attempt = 1; attempt <= 2; attempt++) {
            use("EventLoop.open", attempt, () -> EventLoop.open());
            use("EventRaw", attempt, () -> new EventRaw(() -> { }));
            use("Event", attempt, () -> new Event(() -> { }));
            use("Timer", attempt, () -> new Timer(() -> { }));
            use("Task", attempt, () -> new Task(() -> { }));
            use("FdWatch", attempt, () -> new FdWatch(0));
            use("SignalHandler", attempt, () -> new SignalHandler(Signals.SIGUSR1, () -> { }));
            use("Signals.rtCount", attempt, Signals::rtCount);
            use("ChildProcessBuilder", attempt, () -> new ChildProcessBuilder("true"));
            use("Poster.inherited", attempt, () -> Poster.inherited("NONE"));
            use("Poster.connect", attempt, () -> Poster.connect(Paths.get("/nonexistent")));
            use("EventOffer.open", attempt, () -> EventOffer.open(new EventRaw(() -> { }), Paths.get("/x")));
        }
    }

    private static void use(String what, int attempt, Runnable first) {
        try {
            first.run();
            System.out.println("use " + what + " " + attempt + ": worked");
        } catch (Throwable t) {
            System.out.println("use " + what + " " + attempt + ": " + t.getClass().getName() + ": " + t.getMessage());
        }
    }
}
