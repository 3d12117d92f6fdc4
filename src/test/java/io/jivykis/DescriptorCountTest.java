package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jivykis.testing.Descriptors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** Descriptors are counted in /proc/self/fd before and after: nothing the library opens outlives its use. */
class DescriptorCountTest extends BackendCase {

    /**
     * The first use of the library in a JVM makes the JVM open files and sockets of its own
     * for good (the SecureRandom behind the private extraction, for one); use it once before
     * counting so that the total count compares like with like.
     */
    @BeforeEach
    void loadTheLibraryFirst() {
        EventLoop.open().close();
    }

    @OnBothBackends
    void hundredThousandRegisterUnregisterCyclesLeaveTheCountUnchanged(Backend backend) {
        use(backend);
        Map<Integer, String> before = Descriptors.libraryKinds();
        int countBefore = Descriptors.count();
        try (EventLoop loop = EventLoop.open()) {
            EventRaw ev = new EventRaw(() -> {});
            for (int i = 0; i < 100_000; i++) {
                ev.register();
                ev.unregister();
            }
        }
        Descriptors.assertNoneLeaked(before, "100,000 register/unregister cycles");
        assertEquals(countBefore, Descriptors.count(), "total count of /proc/self/fd");
    }

    @OnBothBackends
    void closingALoopThatStillHadRegisteredObjectsClosesTheirDescriptors(Backend backend) throws Exception {
        use(backend);
        Map<Integer, String> before = Descriptors.libraryKinds();
        List<EventRaw> events = new ArrayList<>();
        EventLoop loop = EventLoop.open();
        for (int i = 0; i < 100; i++) {
            EventRaw ev = new EventRaw(() -> {});
            ev.register();
            events.add(ev);
        }
        // Leave some posted on every path, so queues and readable descriptors are non-empty.
        for (int i = 0; i + 1 < 100; i += 3) {
            events.get(i).post();
            ForeignWrite.write(events.get(i + 1));
        }
        Thread poster = new Thread(() -> events.forEach(EventRaw::post), "poster");
        poster.start();
        poster.join();
        loop.close();
        for (EventRaw ev : events) {
            assertFalse(ev.isRegistered());
            ev.post(); // does nothing now
        }
        Descriptors.assertNoneLeaked(before, "closing a loop with 100 registered objects");
        assertFalse(EventLoop.isOpen());
    }

    @OnBothBackends
    void openingAndClosingLoopsLeavesTheCountUnchanged(Backend backend) {
        use(backend);
        Map<Integer, String> before = Descriptors.libraryKinds();
        for (int i = 0; i < 10_000; i++) {
            EventLoop.open().close();
        }
        Descriptors.assertNoneLeaked(before, "10,000 loops opened and closed");
    }
}
