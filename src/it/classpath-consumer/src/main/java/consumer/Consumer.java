package consumer;

import io.jivykis.ChildProcess;
import io.jivykis.ChildProcessBuilder;
import io.jivykis.EventLoop;
import io.jivykis.EventRaw;
import io.jivykis.Poster;
import java.util.ArrayList;
import java.util.List;

/**
 * What a user's first program does: registers an EventRaw, posts it from another thread, then
 * hands it to a child JVM (this same command with "child"), which posts it once; prints
 * "consumer ok" and exits 0 once both posts have run the handler.
 */
public final class Consumer {
    private Consumer() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("child")) {
            try (Poster poster = Poster.inherited("WAKE")) {
                poster.post();
            }
            return;
        }
        EventLoop.ensureAvailability();
        List<String> seen = new ArrayList<>();
        ChildProcess[] child = new ChildProcess[1];
        try (EventLoop loop = EventLoop.open()) {
            EventRaw[] event = new EventRaw[1];
            event[0] = new EventRaw(() -> {
                if (seen.isEmpty()) {
                    seen.add("thread");
                    // The child starts only now, so its post cannot coalesce with the thread's.
                    child[0] = new ChildProcessBuilder(childCommand()).pass(event[0], "WAKE").start();
                } else {
                    seen.add("child");
                    event[0].unregister();
                }
            });
            event[0].register();
            new Thread(event[0]::post).start();
            loop.run();
        }
        int status = child[0].waitFor();
        if (status != 0 || !seen.equals(List.of("thread", "child"))) {
            throw new AssertionError("child exited " + status + ", handler saw " + seen);
        }
        System.out.println("consumer ok on Java " + Runtime.version().feature());
    }

    /** This JVM's own command line, with "child" in place of its arguments. */
    private static List<String> childCommand() {
        ProcessHandle.Info self = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add(self.command().orElseThrow());
        command.addAll(List.of(self.arguments().orElseThrow()));
        command.add("child");
        return command;
    }
}
