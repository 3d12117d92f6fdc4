package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.testing.Descriptors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revoking holders (docs/RELIABILITY.md, "Holders"): {@link EventOffer#revoke()} makes every
 * poster the offer handed out powerless, and unregistering the event does the same for every
 * holder of it, children included, on both backends: their posts then report EPIPE (the C
 * program hostile-holder in its "revoked" mode posts every 10 ms until it sees EPIPE, and
 * exits 4 if it never does). Holders the revoke does not concern keep their power.
 */
class HolderRevokeTest extends BackendCase {
    @TempDir
    Path tmp;

    private static String holder() {
        return Children.nativeProgram("jivykis-test-hostile-holder").toString();
    }

    @OnBothBackends
    void revokingAnOfferMakesItsPostersPowerlessAndSparesTheOthers(Backend backend) throws Exception {
        use(backend);
        Path socket = tmp.resolve("r.sock");
        AtomicInteger calls = new AtomicInteger();
        try (EventLoop loop = EventLoop.open()) {
            EventRaw event = new EventRaw(calls::incrementAndGet);
            event.register();
            Map<Integer, String> before = Descriptors.libraryKinds();
            EventOffer offer = EventOffer.open(event, socket);
            ChildProcess[] peers = new ChildProcess[2];
            for (int i = 0; i < peers.length; i++) {
                peers[i] = new ChildProcessBuilder(holder(), "revoked", "--socket", socket.toString(), "20")
                        .redirectOutput(tmp.resolve("peer" + i + ".txt")).start();
            }
            // A child given the same event is another holder: the offer's revoke spares it.
            ChildProcess child = new ChildProcessBuilder(holder(), "honest", "EV", "1.5").pass(event, "EV")
                    .redirectOutput(tmp.resolve("child.txt")).start();
            HostileHolderTest.runUntil(loop, () -> offer.handedOut() == 2 && calls.get() > 0, Duration.ofSeconds(20));
            assertEquals(2, offer.liveHolders());

            offer.revoke();
            assertFalse(offer.isOpen());
            assertFalse(Files.exists(socket), "revoking closes the offer");
            assertEquals(0, offer.liveHolders());
            Children.runUntilQuitOrExit(loop, () -> {
                try {
                    for (ChildProcess p : peers) {
                        p.waitFor();
                    }
                    child.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < peers.length; i++) {
                assertEquals(0, peers[i].waitFor(), "the revoked peer saw EPIPE: " + Children.read(tmp.resolve("peer" + i + ".txt")));
            }
            String childSaid = Children.read(tmp.resolve("child.txt"));
            assertEquals(0, child.waitFor(), childSaid);
            assertTrue(childSaid.contains(" epipe=0 "), "the child was not the offer's to revoke: " + childSaid);
            assertTrue(event.isRegistered(), "revoking an offer leaves the event registered");
            runPending(loop);
            Descriptors.assertNoneLeaked(before, "the offer was revoked and every holder is gone");
            event.unregister();
        }
    }

    @OnBothBackends
    void unregisteringTheEventRevokesEveryHolder(Backend backend) throws Exception {
        use(backend);
        Path socket = tmp.resolve("u.sock");
        try (EventLoop loop = EventLoop.open()) {
            Map<Integer, String> before = Descriptors.libraryKinds();
            EventRaw[] event = new EventRaw[1];
            EventOffer[] offer = new EventOffer[1];
            AtomicInteger calls = new AtomicInteger();
            event[0] = new EventRaw(() -> {
                // Both holders have posted: unregister, which revokes both.
                if (calls.incrementAndGet() >= 2 && offer[0].handedOut() == 1) {
                    offer[0].close();
                    event[0].unregister();
                }
            });
            event[0].register();
            offer[0] = EventOffer.open(event[0], socket);
            ChildProcess child = new ChildProcessBuilder(holder(), "revoked", "EV", "20").pass(event[0], "EV")
                    .redirectOutput(tmp.resolve("child.txt")).start();
            ChildProcess peer = new ChildProcessBuilder(holder(), "revoked", "--socket", socket.toString(), "20")
                    .redirectOutput(tmp.resolve("peer.txt")).start();
            loop.run(); // returns once the event is unregistered and the offer closed
            Descriptors.assertNoneLeaked(before, "the event was unregistered");
            assertEquals(0, child.waitFor(), "the child saw EPIPE: " + Children.read(tmp.resolve("child.txt")));
            assertEquals(0, peer.waitFor(), "the peer saw EPIPE: " + Children.read(tmp.resolve("peer.txt")));
        }
    }
}
