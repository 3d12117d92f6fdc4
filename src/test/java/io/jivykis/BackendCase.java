package io.jivykis;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * Base of the tests that run on both backends: saves and restores {@code jivykis.backend}
 * around each test, and bounds each test in time. The timeout runs the test on a thread of
 * its own, so a loop stuck in epoll_wait fails the test instead of hanging the suite (and
 * each test starts on a thread with no loop).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class BackendCase {
    static final String BACKEND_PROPERTY = "jivykis.backend";

    private String savedBackend;

    @BeforeEach
    void saveBackendProperty() {
        savedBackend = System.getProperty(BACKEND_PROPERTY);
    }

    @AfterEach
    void restoreBackendProperty() {
        if (savedBackend == null) {
            System.clearProperty(BACKEND_PROPERTY);
        } else {
            System.setProperty(BACKEND_PROPERTY, savedBackend);
        }
    }

    /** Makes every loop opened and object registered from now on use {@code backend}. */
    static void use(Backend backend) {
        System.setProperty(BACKEND_PROPERTY, backend.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Runs {@code loop} until everything posted so far has been dispatched, then returns
     * although objects are still registered. It relies on the loop's documented order: ready
     * descriptors first, then posted objects in post order, so an object posted last from the
     * loop's own thread runs last, and its handler quits.
     */
    static void runPending(EventLoop loop) {
        EventRaw[] quitter = new EventRaw[1];
        quitter[0] = new EventRaw(() -> {
            quitter[0].unregister();
            loop.quit();
        });
        quitter[0].register();
        quitter[0].post();
        loop.run();
    }
}
