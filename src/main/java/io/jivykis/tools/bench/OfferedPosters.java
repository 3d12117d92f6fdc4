package io.jivykis.tools.bench;

import io.jivykis.EventLoop;
import io.jivykis.EventOffer;
import io.jivykis.EventRaw;
import io.jivykis.Poster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Poster} for each of a loop's EventRaws, got the way another process gets one: the
 * event is offered at a Unix socket ({@link EventOffer}) and connected to
 * ({@link Poster#connect(Path)}). A post through it writes the holder pipe the offer made for it, so the loop
 * sees it through epoll_wait and a drain, as it sees a post from another process.
 */
final class OfferedPosters {
    /**
     * Offers open at once. Each holds a listening socket and, until answered, a connection;
     * 64 of them stay well inside the descriptors the scale case keeps in reserve.
     */
    private static final int BATCH = 64;

    private OfferedPosters() {}

    /**
     * Connects a poster to each event, all registered in {@code loop} by the calling thread,
     * which runs the loop meanwhile to answer the connections. Closes what it made if it fails.
     */
    static Poster[] connect(EventLoop loop, EventRaw[] events) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("jivykis-scale");
        Poster[] posters = new Poster[events.length];
        try {
            for (int first = 0; first < events.length; first += BATCH) {
                connectBatch(loop, events, posters, first, Math.min(events.length, first + BATCH), directory);
            }
            return posters;
        } catch (InterruptedException | RuntimeException e) {
            close(posters);
            throw e;
        } finally {
            Files.deleteIfExists(directory);
        }
    }

    /** Closes every poster made so far. */
    static void close(Poster[] posters) {
        for (Poster poster : posters) {
            if (poster != null) {
                poster.close();
            }
        }
    }

    private static void connectBatch(EventLoop loop, EventRaw[] events, Poster[] posters, int first, int end,
            Path directory) throws InterruptedException {
        List<EventOffer> offers = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        EventRaw[] done = new EventRaw[1];
        try {
            for (int i = first; i < end; i++) {
                offers.add(EventOffer.open(events[i], directory.resolve((i - first) + ".sock")));
            }
            // The connections are answered by this thread's loop, so another thread makes them.
            done[0] = new EventRaw(loop::quit);
            done[0].register();
            Thread connector = new Thread(() -> {
                try {
                    for (int i = first; i < end; i++) {
                        posters[i] = Poster.connect(offers.get(i - first).path());
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                } finally {
                    done[0].post();
                }
            }, "scale-connector");
            connector.start();
            loop.run();
            connector.join();
        } finally {
            if (done[0] != null && done[0].isRegistered()) {
                done[0].unregister();
            }
            for (EventOffer offer : offers) {
                offer.close();
            }
        }
        if (failure[0] != null) {
            throw new IllegalStateException("connecting to the offered events failed", failure[0]);
        }
    }
}
