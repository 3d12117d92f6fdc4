package io.jivykis.children;

import io.jivykis.Poster;
import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An unrelated process (started without any passed descriptor): {@code OfferClient SOCKET COUNT ACK_FIFO}.
 * Gets a {@link Poster} with {@link Poster#connect(Path)}, posts COUNT times reading one
 * acknowledgement line after each, prints "posted=N backend=B" and exits 0 (1 on error).
 */
public final class OfferClient {
    private OfferClient() {}

    public static void main(String[] args) throws IOException {
        long count = Long.parseLong(args[1]);
        long posted = 0;
        try (Poster poster = Poster.connect(Path.of(args[0]));
                BufferedReader acks = new BufferedReader(new FileReader(args[2]))) {
            for (long i = 0; i < count; i++) {
                poster.post();
                posted++;
                if (acks.readLine() == null) {
                    break;
                }
            }
            System.out.println("posted=" + posted + " backend=" + poster.backend());
        } catch (RuntimeException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
