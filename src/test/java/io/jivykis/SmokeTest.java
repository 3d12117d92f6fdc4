package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void handlerRunsAfterPostFromAnotherThread() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            EventRaw[] ev = new EventRaw[1];
            ev[0] = new EventRaw(() -> {
                calls.incrementAndGet();
                ev[0].unregister();
            });
            ev[0].register();
            Thread poster = new Thread(ev[0]::post);
            poster.start();
            loop.run();
            poster.join();
        }
        assertEquals(1, calls.get());
    }
}
