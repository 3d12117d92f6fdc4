package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.children.WithoutFlightRecorder;
import io.jivykis.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's JFR events, read back from a recording file with RecordingFile: a short run
 * like the tour's (a timer wait, a post from another thread, a handler that blocks), with the
 * events enabled by name, then with JFR's default settings, where they are off. And a child
 * JVM without jdk.jfr, where the library works all the same.
 */
class FlightEventsTest {
    @TempDir
    Path dir;

    /** Runs the loop through a timer wait, a cross-thread post and one blocked handler. */
    private static void shortRun() throws InterruptedException {
        try (EventLoop loop = EventLoop.open()) {
            loop.setBlockedThreshold(Duration.ofMillis(100));
            new Timer(() -> {}).expiresAfter(Duration.ofMillis(30)).register();
            loop.run();
            EventRaw[] posted = new EventRaw[1];
            posted[0] = new EventRaw(() -> posted[0].unregister());
            posted[0].register();
            Thread poster = new Thread(() -> posted[0].post(), "poster");
            poster.start();
            loop.run();
            poster.join();
            new Task(() -> {
                try {
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).register();
            loop.run();
        }
    }

    private List<RecordedEvent> record(Recording recording) throws Exception {
        Path file = dir.resolve("run.jfr");
        try (recording) {
            recording.start();
            shortRun();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> ours = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().startsWith("io.jivykis.")) {
                ours.add(event);
            }
        }
        Files.delete(file);
        return ours;
    }

    @Test
    void enabledEventsShowEachWaitAndTheBlockedHandler() throws Exception {
        Recording recording = new Recording();
        recording.enable("io.jivykis.LoopWait");
        recording.enable("io.jivykis.LoopBlocked");
        List<RecordedEvent> events = record(recording);
        String thread = Thread.currentThread().getName();

        List<RecordedEvent> waits = named(events, "io.jivykis.LoopWait");
        // The timer's wait at least; the post may come before the loop gets to wait for it.
        assertTrue(waits.size() >= 1, "the waits: " + waits);
        boolean timerWait = false;
        for (RecordedEvent wait : waits) {
            assertEquals(thread, wait.getThread().getJavaName(), "emitted by the loop thread");
            long timeout = wait.getDuration("timeout").toNanos();
            assertTrue(timeout == -1 || timeout > 0, "a wait that could block: timeout " + timeout);
            // Generous: the timer's wait lasts about 30 ms, and surely not under 10.
            timerWait |= timeout > 0 && wait.getDuration().toMillis() >= 10;
        }
        assertTrue(timerWait, "the timer's wait, with its timeout: " + waits);

        List<RecordedEvent> blocked = named(events, "io.jivykis.LoopBlocked");
        assertEquals(1, blocked.size(), "one blocked handler: " + blocked);
        RecordedEvent event = blocked.get(0);
        assertEquals(thread, event.getThread("loopThread").getJavaName());
        assertEquals("Task", event.getString("kind"));
        assertTrue(event.getDuration("blockedFor").toMillis() >= 100, event.toString());
        assertEquals(100, event.getDuration("threshold").toMillis());
        assertTrue(event.getString("stack").contains("java.lang.Thread.sleep"), event.getString("stack"));
    }

    @Test
    void theEventsAreOffUnderJfrsDefaultSettings() throws Exception {
        List<RecordedEvent> events = record(new Recording(Configuration.getConfiguration("default")));
        assertEquals(List.of(), events);
    }

    @Test
    void theLibraryWorksWithoutJdkJfr() throws Exception {
        ChildJvm.Result result = ChildJvm.of(WithoutFlightRecorder.class)
                .jvmArgs("--limit-modules", "java.base,jdk.management").run();
        assertEquals(0, result.exitCode, result.output);
        assertFalse(result.output.contains("failure:"), result.output);
        assertEquals(List.of("jdk.jfr: false"), result.lines("jdk.jfr:"), result.output);
        List<String> metrics = result.lines("metrics:");
        assertEquals(1, metrics.size(), result.output);
        assertTrue(metrics.get(0).contains("timersFired=1") && metrics.get(0).contains("blockedWarnings=1"), result.output);
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        List<RecordedEvent> found = new ArrayList<>();
        for (RecordedEvent event : events) {
            if (event.getEventType().getName().equals(name)) {
                found.add(event);
            }
        }
        return found;
    }
}
