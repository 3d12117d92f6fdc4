package io.jivykis.children;

import io.jivykis.Poster;
import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;

/**
 * A Java child for the cross-process tests: {@code PostingChild NAME COUNT ACK_FIFO|- [PAUSE_US]}.
 * Takes the event passed as NAME with {@link Poster#inherited(String)} and posts COUNT times;
 * with a FIFO it reads one acknowledgement line after each post, with "-" it pauses instead.
 * Prints "posted=N" and exits 0; on a Poster error prints the message and exits 1; exits 3
 * when the acknowledgements stop early.
 */
public final class PostingChild {
    private PostingChild() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Poster poster;
        try {
            poster = Poster.inherited(args[0]);
        } catch (RuntimeException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        long count = Long.parseLong(args[1]);
        long pauseMicros = args.length > 3 ? Long.parseLong(args[3]) : 0;
        BufferedReader acks = args[2].equals("-") ? null : new BufferedReader(new FileReader(args[2]));
        long posted = 0;
        try (poster) {
            for (long i = 0; i < count; i++) {
                poster.post();
                posted++;
                if (acks != null && acks.readLine() == null) {
                    System.out.println("posted=" + posted + " acks-stopped");
                    System.exit(3);
                }
                if (acks == null && pauseMicros > 0) {
                    Thread.sleep(pauseMicros / 1000, (int) (pauseMicros % 1000) * 1000);
                }
            }
        }
        System.out.println("posted=" + posted + " backend=" + poster.backend());
    }
}
