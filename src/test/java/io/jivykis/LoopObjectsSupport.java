package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.jivykis.internal.Errors;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the tests of the loop objects share: descriptor counts, real pipes, collectability. */
final class LoopObjectsSupport {
    private LoopObjectsSupport() {}

    /**
     * Runs {@code body} and asserts that the process has as many descriptors afterwards as
     * before (other test threads of this JVM are idle: surefire runs classes one at a time).
     */
    static void assertNoDescriptorLeak(ThrowingRunnable body) throws Exception {
        int before = Descriptors.count();
        body.run();
        assertEquals(before, Descriptors.count(), "descriptors open before and after");
    }

    /** A body that may throw. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A real pipe made with pipe2(O_CLOEXEC | O_NONBLOCK); {@link #close()} closes what is left open. */
    static final class Pipe implements AutoCloseable {
        int readFd;
        int writeFd;

        Pipe() {
            Native.ensureLoaded();
            long ends = Errors.check("pipe2", Native.pipe());
            readFd = (int) (ends >>> 32);
            writeFd = (int) ends;
        }

        /** Writes one byte. */
        void write() {
            Errors.check("write", Native.pipePost(writeFd));
        }

        /** Reads what is buffered; returns the count (0 at end of file). */
        int read() {
            return Errors.check("read", Native.pipeDrain(readFd));
        }

        void closeWriteEnd() {
            Errors.check("close", Native.close(writeFd));
            writeFd = -1;
        }

        void closeReadEnd() {
            Errors.check("close", Native.close(readFd));
            readFd = -1;
        }

        @Override
        public void close() {
            if (readFd >= 0) {
                closeReadEnd();
            }
            if (writeFd >= 0) {
                closeWriteEnd();
            }
        }
    }

    /** Asserts that the referent becomes garbage within a few seconds of GC requests. */
    static void assertCollectable(WeakReference<?> reference, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<byte[]> pressure = new ArrayList<>();
        while (reference.get() != null) {
            if (System.nanoTime() > deadline) {
                fail(what + " is still reachable after it was unregistered and dropped in its own handler");
            }
            System.gc();
            pressure.add(new byte[1 << 16]);
            if (pressure.size() > 64) {
                pressure.clear();
            }
            Thread.sleep(10);
        }
    }
}
