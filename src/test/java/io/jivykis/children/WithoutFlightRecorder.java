package io.jivykis.children;

import io.jivykis.EventLoop;
import io.jivykis.Task;
import io.jivykis.Timer;
import java.time.Duration;

/**
 * A child JVM's main, run with jdk.jfr left out of the boot layer: waits for a timer (the
 * path that would emit a LoopWait event) and blocks past the threshold (a LoopBlocked
 * event and a warning), then prints whether jdk.jfr was there and the loop's metrics.
 */
public final class WithoutFlightRecorder {
    private WithoutFlightRecorder() {}

    public static void main(String[] args) {
        try (EventLoop loop = EventLoop.open()) {
            loop.setBlockedThreshold(Duration.ofMillis(50));
            new Timer(() -> {}).expiresAfter(Duration.ofMillis(20)).register();
            new Task(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).register();
            loop.run();
            System.out.println("jdk.jfr: " + ModuleLayer.boot().findModule("jdk.jfr").isPresent());
            System.out.println("metrics: " + loop.metrics());
        } catch (Throwable t) {
            System.out.println("failure: " + t);
            t.printStackTrace(System.out);
        }
    }
}
