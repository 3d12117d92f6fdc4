package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.internal.Announcement;
import io.jivykis.internal.EventDescriptor;
import io.jivykis.internal.Native;
import io.jivykis.testing.Descriptors;
import io.jivykis.internal.PostTarget;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        for (String bad : new String[] {"", "3", "eventfd", "eventfd:", "eventfd:x", "socket:3", "pipe:-1", "eventfd:3 ",
                "eventfd:+3", "eventfd: 3", " eventfd:3", "EVENTFD:3", "eventfd:2147483648", "pipe:3:", "pipe:0x3"}) {
            assertTrue(message(() -> Poster.inherited("PT_BAD", bad)).contains("is malformed"), bad);
        }
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> Poster.inherited("wake"));
        assertTrue(name.getMessage().contains("[A-Z0-9_]+"), name.getMessage());
    }

    /** Descriptors 0, 1 and 2 are refused by number, whatever they are (jivykis.h's rule, shared with C). */
    @Test
    void aStandardStreamIsRefused() {
        for (String stdio : new String[] {"eventfd:0", "pipe:1", "pipe:2", "eventfd:00", "pipe:0001"}) {
            String text = message(() -> Poster.inherited("PT_STDIO", stdio));
            assertTrue(text.contains("names a standard stream") && text.contains("unset it or correct the number"),
                    stdio + ": " + text);
        }
    }

    /**
     * Values the Java and C parsers used to judge differently now get the C API's answer,
     * since both are one implementation: ten or more digits with leading zeros are still a
     * decimal number, and a named FIFO is a pipe (both were refused by the old Java parser).
     */
    @Test
    void theRulesAreTheCApisRules(@TempDir Path tmp) throws Exception {
        Native.ensureLoaded();
        int efd = Native.eventfd();
        try (Poster zeros = Poster.inherited("PT_ZEROS", "eventfd:0000000000" + efd)) { // the poster closes efd
            assertEquals(efd, zeros.fd());
            zeros.post();
            assertEquals(1, Native.eventfdDrain(efd));
        }
        Path fifo = tmp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        try (RandomAccessFile open = new RandomAccessFile(fifo.toFile(), "rw")) { // O_RDWR: does not wait for a peer
            int fd = Descriptors.snapshot().entrySet().stream().filter(e -> e.getValue().equals(fifo.toString()))
                    .mapToInt(Map.Entry::getKey).findFirst().orElseThrow();
            assertTrue(message(() -> Poster.inherited("PT_FIFO_KIND", "eventfd:" + fd))
                    .contains("is a pipe, but it is announced as an eventfd"));
            // Poster.inherited's own check, without a Poster: that would close a descriptor the
            // RandomAccessFile owns.
            PostTarget target = Announcement.resolve("PT_FIFO", "pipe:" + fd);
            assertEquals(Backend.PIPE, target.backend());
            assertEquals(0, EventDescriptor.write(fd, Backend.PIPE));
            assertEquals(1, open.read(), "the post wrote one byte into the FIFO");
        }
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
