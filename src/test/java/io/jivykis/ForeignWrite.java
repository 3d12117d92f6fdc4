package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jivykis.internal.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/** Posts the way a foreign poster does: by writing an event's descriptor, not by calling post(). */
final class ForeignWrite {
    private ForeignWrite() {}

    /**
     * Writes {@code ev.fd()} directly. A pipe is reopened through /proc/self/fd and written
     * with plain Java I/O (one byte), which shares no code with the library. An eventfd cannot
     * be reopened through /proc (the kernel answers ENXIO), so it gets the exact 8-byte write(2)
     * of the shim's post primitive, the same write the C hook makes.
     */
    static void write(EventRaw ev) throws IOException {
        int fd = ev.fd();
        if (ev.backend() == Backend.PIPE) {
            try (FileChannel pipe = FileChannel.open(Paths.get("/proc/self/fd/" + fd), StandardOpenOption.WRITE)) {
                assertEquals(1, pipe.write(ByteBuffer.wrap(new byte[] {1})));
            }
        } else {
            assertEquals(0, Native.eventfdPost(fd), "write(2) of 8 bytes to eventfd " + fd);
        }
    }
}
