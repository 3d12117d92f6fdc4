package io.jivykis.tools;

import io.jivykis.Poster;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code java -jar jivykis.jar post [-n COUNT] NAME | --socket PATH}: the shell's poster for
 * machines without the native {@code jivykis-post} tool, with the same arguments and exit
 * status (0 posted, 1 no descriptor or a failed post, 2 usage).
 */
final class PostCommand {
    private PostCommand() {}

    static int run(String[] args, PrintStream err) {
        long count = 1;
        String name = null;
        String socket = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-n") && i + 1 < args.length) {
                try {
                    count = Long.parseLong(args[++i]);
                } catch (NumberFormatException e) {
                    count = 0;
                }
                if (count < 1) {
                    return usage(err);
                }
            } else if (args[i].equals("--socket") && i + 1 < args.length) {
                socket = args[++i];
            } else if (!args[i].startsWith("-") && name == null) {
                name = args[i];
            } else {
                return usage(err);
            }
        }
        if ((name == null) == (socket == null)) {
            return usage(err);
        }
        try (Poster poster = socket != null ? Poster.connect(Path.of(socket)) : Poster.inherited(name)) {
            for (long i = 0; i < count; i++) {
                poster.post();
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("jivykis post: " + e.getMessage());
            return 1;
        }
    }

    static void describe(PrintStream out) {
        out.println("  post [-n COUNT] NAME | --socket PATH");
        out.println("          post COUNT times (default 1) to the event passed to this process as");
        out.println("          JIVYKIS_FD_NAME, or offered at the Unix socket PATH (as jivykis-post does)");
    }

    private static int usage(PrintStream err) {
        err.println("usage: java -jar jivykis.jar post [-n COUNT] NAME");
        err.println("       java -jar jivykis.jar post [-n COUNT] --socket PATH");
        return 2;
    }
}
