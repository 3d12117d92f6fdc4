package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.EventLoop;
import io.jivykis.EventOffer;
import io.jivykis.EventRaw;
import io.jivykis.Poster;
import io.jivykis.testing.Descriptors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An offer in a directory that others can write: its file-system steps follow no symlink
 * and change no file but the one they made, and its close removes only that file. The C
 * test offer_path_races drives each step with a real second user; these drive the library
 * through its Java API with a thread that races the steps.
 */
@Timeout(60)
class OfferFileSystemTest {
    private static final Set<PosixFilePermission> GROUP = PosixFilePermissions.fromString("rw-rw----");
    private static final Set<PosixFilePermission> VICTIM_MODE = PosixFilePermissions.fromString("rw-r-----");

    @TempDir
    Path tmp;

    /** Offer A's file is removed by someone, offer B opens at the path: closing A leaves B's file. */
    @Test
    void closingAnOfferWhoseFileWasReplacedLeavesTheNewOne() throws Exception {
        Path socket = tmp.resolve("shared.sock");
        try (EventLoop loop = EventLoop.open()) {
            EventRaw a = new EventRaw(() -> {});
            EventRaw b = new EventRaw(() -> {});
            a.register();
            b.register();
            EventOffer offerA = EventOffer.open(a, socket);
            Files.delete(socket); // someone tidies up, or a script starts a second owner
            EventOffer offerB = EventOffer.open(b, socket);
            Object fileB = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            offerA.close();
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "closing offer A removed offer B's socket file");
            assertEquals(fileB, Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey());
            offerB.close();
            assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "closing offer B removes its own file");
            a.unregister();
            b.unregister();
        }
    }

    /**
     * A one-byte name in a directory whose path is 104 bytes long: the 106-byte path fits a
     * socket address (107 bytes), and so must every name the offer uses on the way.
     */
    @Test
    void aShortNameInALongDirectoryOpens() throws Exception {
        int room = 104 - tmp.toString().length() - 1;
        assertTrue(room > 0, "the temporary directory's path is too long for this test: " + tmp);
        Path dir = Files.createDirectory(tmp.resolve("d".repeat(room)));
        Path socket = dir.resolve("a");
        assertEquals(106, socket.toString().length());
        try (EventLoop loop = EventLoop.open()) {
            EventRaw event = new EventRaw(() -> {});
            event.register();
            EventOffer offer = EventOffer.open(event, socket);
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
            offer.close();
            event.unregister();
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
            assertFalse(left.iterator().hasNext(), "the offer left something in " + dir);
        }
    }

    /**
     * A thread acting as another user would in the offer's directory: every entry the offer
     * makes on the way (its temporary names) is renamed away as soon as it is seen and
     * replaced by a symlink to a victim file or directory. Every open either succeeds, with
     * the final name a socket of exactly the asked mode, or fails cleanly; the victims never
     * change mode, disappear or gain an entry; no descriptor leaks.
     */
    @Test
    void anAttackerSwappingNamesNeverRedirectsTheOffer() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "intact");
        Files.setPosixFilePermissions(victim, VICTIM_MODE);
        Path victimDir = Files.createDirectory(tmp.resolve("victim-dir"));
        Files.setPosixFilePermissions(victimDir, PosixFilePermissions.fromString("rwxr-x---"));
        Path socket = tmp.resolve("offer.sock");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        AtomicReference<Throwable> attackerFailure = new AtomicReference<>();
        Thread attacker = new Thread(() -> {
            try {
                while (!stop.get()) {
                    swapEverythingNew(socket.getFileName().toString(), victim, victimDir, swaps);
                }
            } catch (Throwable t) {
                attackerFailure.set(t);
            }
        }, "attacker");
        attacker.setDaemon(true);
        int opened = 0;
        int refused = 0;
        try (EventLoop loop = EventLoop.open()) {
            EventRaw event = new EventRaw(() -> {});
            event.register();
            Map<Integer, String> before = Descriptors.snapshot();
            attacker.start();
            long end = System.nanoTime() + 3_000_000_000L;
            for (int round = 0; round < 3000 && System.nanoTime() < end; round++) {
                EventOffer offer;
                try {
                    offer = EventOffer.open(event, socket, GROUP);
                } catch (UncheckedIOException e) {
                    refused++;
                    assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS),
                            "round " + round + ": a failed open left something at the final name: " + e.getMessage());
                    continue;
                }
                opened++;
                assertFalse(Files.isSymbolicLink(socket), "round " + round + ": the offer published a symlink");
                assertEquals(GROUP, Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS),
                        "round " + round + ": the socket's mode");
                offer.close();
                assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "round " + round + ": close left the file");
                assertEquals(VICTIM_MODE, Files.getPosixFilePermissions(victim), "round " + round + ": the victim's mode");
            }
            stop.set(true);
            attacker.join(10_000);
            assertNull(attackerFailure.get(), "the attacker thread failed");
            event.unregister();
            Map<Integer, String> after = Descriptors.snapshot();
            after.values().removeIf(t -> !t.startsWith("socket:["));
            before.values().removeIf(t -> !t.startsWith("socket:["));
            assertEquals(before, after, "socket descriptors before and after");
        }
        assertEquals("intact", Files.readString(victim));
        assertEquals(VICTIM_MODE, Files.getPosixFilePermissions(victim), "the victim file's mode");
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"), Files.getPosixFilePermissions(victimDir));
        try (DirectoryStream<Path> inside = Files.newDirectoryStream(victimDir)) {
            assertFalse(inside.iterator().hasNext(), "the offer created something in the victim directory");
        }
        assertTrue(opened > 0, "no offer opened in " + (opened + refused) + " attempts (" + swaps.get() + " swaps)");
        System.out.println("offers opened " + opened + ", refused " + refused + ", names swapped " + swaps.get());
    }

    /** Renames every entry but the victims, the final name and earlier swaps, and plants a symlink in its place. */
    private static void swapEverythingNew(String finalName, Path victim, Path victimDir, AtomicInteger swaps)
            throws IOException {
        Path dir = victim.getParent();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.equals(finalName) || name.startsWith("victim") || name.startsWith("moved-")) {
                    continue;
                }
                if (Files.isSymbolicLink(entry)) {
                    continue;
                }
                int n = swaps.incrementAndGet();
                try {
                    Files.move(entry, dir.resolve("moved-" + n));
                    Files.createSymbolicLink(entry, Files.isDirectory(dir.resolve("moved-" + n),
                            LinkOption.NOFOLLOW_LINKS) ? victimDir : victim);
                } catch (NoSuchFileException | java.nio.file.FileAlreadyExistsException e) {
                    // The offer removed or replaced it first: the race goes on.
                }
            }
        }
    }
}
