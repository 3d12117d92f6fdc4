package io.jivykis;

import static io.jivykis.LoopObjectsSupport.assertCollectable;
import static io.jivykis.LoopObjectsSupport.assertNoDescriptorLeak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Task (iv_task): runs once, on the next iteration, before the loop blocks. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskTest {
    @Test
    void runsOnceAndIsUnregisteredBeforeItsHandler() throws Exception {
        assertNoDescriptorLeak(() -> {
            List<Boolean> registeredInHandler = new ArrayList<>();
            try (EventLoop loop = EventLoop.open()) {
                Task[] task = new Task[1];
                task[0] = new Task(() -> registeredInHandler.add(task[0].isRegistered()));
                task[0].register();
                assertTrue(task[0].isRegistered());
                loop.run(); // returns: the task ran and nothing else is registered
                assertFalse(task[0].isRegistered());
            }
            assertEquals(List.of(false), registeredInHandler);
        });
    }

    @Test
    void runsBeforeTheLoopBlocks() throws Exception {
        // A timer far away keeps the loop alive; if the loop blocked before the task ran,
        // this test would wait for the timer (and time out).
        long[] ranAfter = new long[1];
        try (EventLoop loop = EventLoop.open()) {
            Timer far = new Timer(() -> { });
            far.expiresAfter(Duration.ofSeconds(30)).register();
            long start = System.nanoTime();
            new Task(() -> {
                ranAfter[0] = System.nanoTime() - start;
                far.unregister();
            }).register();
            loop.run();
        }
        assertTrue(ranAfter[0] > 0 && ranAfter[0] < Duration.ofSeconds(30).toNanos(), "ran after " + ranAfter[0] + " ns");
    }

    @Test
    void tasksRunInRegistrationOrderAndReRegisteringRunsOnTheFollowingIteration() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            int[] rounds = new int[1];
            Task[] again = new Task[1];
            again[0] = new Task(() -> {
                ran.add("again" + rounds[0]);
                if (++rounds[0] < 3) {
                    again[0].register();
                }
            });
            again[0].register();
            for (int i = 0; i < 3; i++) {
                String name = "t" + i;
                new Task(() -> ran.add(name)).register();
            }
            loop.run();
        }
        assertEquals(List.of("again0", "t0", "t1", "t2", "again1", "again2"), ran);
    }

    @Test
    void unregisteredByAnotherHandlerOfTheSameIterationItDoesNotRun() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            Task second = new Task(() -> ran.add("second"));
            Task first = new Task(() -> {
                ran.add("first");
                second.unregister();
            });
            first.register();
            second.register();
            loop.run();
            assertFalse(second.isRegistered());
        }
        assertEquals(List.of("first"), ran);
    }

    @Test
    void unregisteredBeforeItsIterationItDoesNotRun() throws Exception {
        List<String> ran = new ArrayList<>();
        try (EventLoop loop = EventLoop.open()) {
            Task task = new Task(() -> ran.add("task"));
            task.register();
            task.unregister();
            assertThrows(IllegalStateException.class, task::unregister);
            loop.run();
            task.register(); // a new registration runs
            loop.run();
        }
        assertEquals(List.of("task"), ran);
    }

    @Test
    void droppedInItsOwnHandlerItIsCollectable() throws Exception {
        WeakReference<Task> reference;
        try (EventLoop loop = EventLoop.open()) {
            reference = registerSelfDroppingTask();
            loop.run();
        }
        assertCollectable(reference, "a Task");
    }

    private static WeakReference<Task> registerSelfDroppingTask() {
        Task[] holder = new Task[1];
        holder[0] = new Task(() -> holder[0] = null);
        holder[0].register();
        return new WeakReference<>(holder[0]);
    }

    @Test
    void registeringTwiceIsRefused() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            Task task = new Task(() -> { });
            task.register();
            IllegalStateException e = assertThrows(IllegalStateException.class, task::register);
            assertTrue(e.getMessage().contains("already registered"), e.getMessage());
            task.unregister();
        }
    }
}
