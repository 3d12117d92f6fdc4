package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import org.junit.jupiter.api.Test;

/**
 * Poster.inherited's checks, in this process with real descriptors: the variable's value is
 * given directly, so every wrong case can be built (a closed number, a pipe's read end, an
 * epoll instance, a kind other than announced).
 */
class PosterTest extends BackendCase {
    private static String message(Runnable r) {
        return assertThrows(IllegalStateException.class, r::run).getMessage();
    }

    @Test
    void aMissingOrMalformedVariableIsExplained() {
        assertTrue(message(() -> Poster.inherited("PT_MISSING", null))
                .contains("environment variable JIVYKIS_FD_PT_MISSING is not set"));
        for (String bad : new String[] {"", "3", "eventfd", "eventfd:", "eventfd:x", "socket:3", "pipe:-1", "eventfd:3 "}) {
            assertTrue(message(() -> Poster.inherited("PT_BAD", bad)).contains("is malformed"), bad);
        }
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> Poster.inherited("wake"));
        assertTrue(name.getMessage().contains("[A-Z0-9_]+"), name.getMessage());
    }

    @Test
    void aDescriptorThatIsNotWhatItAnnouncesIsRefused() {
        Native.ensureLoaded();
        int efd = Native.eventfd();
        long ends = Native.pipe();
        int read = (int) (ends >>> 32);
        int write = (int) ends;
        int epfd = Native.epollCreate();
        int closed = Native.eventfd();
        Native.close(closed);
        try {
            assertTrue(message(() -> Poster.inherited("PT_CLOSED", "eventfd:" + closed)).contains("is not open in this process"));
            assertTrue(message(() -> Poster.inherited("PT_KIND", "pipe:" + efd))
                    .contains("is an eventfd, but it is announced as a pipe"));
            assertTrue(message(() -> Poster.inherited("PT_KIND2", "eventfd:" + write))
                    .contains("is a pipe, but it is announced as an eventfd"));
            assertTrue(message(() -> Poster.inherited("PT_READ", "pipe:" + read)).contains("the read end of a pipe"));
            assertTrue(message(() -> Poster.inherited("PT_EPOLL", "eventfd:" + epfd))
                    .contains("anon_inode:[eventpoll], not an eventfd or a pipe"));
        } finally {
            Native.close(efd);
            Native.close(read);
            Native.close(write);
            Native.close(epfd);
        }
    }

    /**
     * The poster writes exactly what the kernel counts (two posts: counter 2, or two bytes),
     * owns its descriptor (closes it once), refuses a second claim, and after close refuses
     * to post. A pipe whose reader is gone is absorbed: no exception, no signal.
     */
    @OnBothBackends
    void anInheritedPosterWritesExactlyAndOwnsItsDescriptor(Backend backend) {
        Native.ensureLoaded();
        int writeFd;
        int readFd;
        if (backend == Backend.EVENTFD) {
            writeFd = readFd = Native.eventfd();
        } else {
            long ends = Native.pipe();
            readFd = (int) (ends >>> 32);
            writeFd = (int) ends;
        }
        String value = backend.name().toLowerCase() + ":" + writeFd;
        Poster poster = Poster.inherited("PT_OK_" + backend, value);
        try {
            assertEquals(writeFd, poster.fd());
            assertEquals(backend, poster.backend());
            assertTrue(message(() -> Poster.inherited("PT_AGAIN_" + backend, value)).contains("already taken by another Poster"));
            poster.post();
            poster.post();
            if (backend == Backend.EVENTFD) {
                assertEquals(2, Native.eventfdDrain(readFd));
            } else {
                assertEquals(2, Native.pipeDrain(readFd));
                Native.close(readFd);
                poster.post(); // no reader left: EPIPE, absorbed
            }
        } finally {
            poster.close();
        }
        poster.close();
        assertEquals(null, Descriptors.target(writeFd), "the poster closes its descriptor");
        assertTrue(message(poster::post).contains("is closed"));
    }
}
