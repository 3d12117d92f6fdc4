package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.testing.Descriptors;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The receiving end of an offer against a hostile peer ({@link Poster#connect(Path)}; the C
 * side is the ctest offer_receive_hostile_peers): whatever a process listening at the path
 * answers (no descriptor, two, 200, control data truncated by its size, garbage bytes, a
 * descriptor of the wrong kind) the connect fails with a message that says so, and this
 * process holds exactly the descriptors it held before. The peer is the C program
 * hostile-offer.
 */
class OfferReceiveTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"none", "two", "many", "oversized", "garbage", "wrongkind", "readend"})
    void aHostilePeerLeaksNothingAndIsNamed(String mode) throws Exception {
        Path socket = tmp.resolve("h.sock");
        ChildProcess peer = startHostilePeer(socket, mode);
        try {
            Map<Integer, String> before = Descriptors.snapshot();
            for (int round = 0; round < 3; round++) {
                UncheckedIOException e = assertThrows(UncheckedIOException.class,
                        () -> Poster.connect(socket, Duration.ofSeconds(10)).close(), mode);
                assertTrue(e.getMessage().contains("the answer is not an event offer's")
                        && e.getMessage().contains("every descriptor received was closed"), e.getMessage());
            }
            assertEquals(before, Descriptors.snapshot(), "descriptors after " + mode + " answers");
        } finally {
            peer.destroyForcibly();
            peer.waitFor();
            Files.deleteIfExists(socket);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hangup"})
    void aPeerThatHangsUpMeansNoDescriptor(String mode) throws Exception {
        Path socket = tmp.resolve("n.sock");
        ChildProcess peer = startHostilePeer(socket, mode);
        try {
            Map<Integer, String> before = Descriptors.snapshot();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Poster.connect(socket).close());
            assertTrue(e.getMessage().contains("the owner sent no descriptor"), e.getMessage());
            assertEquals(before, Descriptors.snapshot());
        } finally {
            peer.destroyForcibly();
            peer.waitFor();
            Files.deleteIfExists(socket);
        }
    }

    /** Starts the C program that offers at {@code socket} and answers as {@code mode} says, once it listens. */
    private ChildProcess startHostilePeer(Path socket, String mode) throws Exception {
        Path out = tmp.resolve("peer-" + mode + ".txt");
        ChildProcess peer = new ChildProcessBuilder(Children.nativeProgram("jivykis-test-hostile-offer").toString(),
                socket.toString(), mode).redirectOutput(out).start();
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Children.read(out).contains("listening") && peer.isAlive() && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertTrue(Children.read(out).contains("listening"), "the hostile peer did not start: " + Children.read(out));
        return peer;
    }
}
