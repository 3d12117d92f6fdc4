package io.jivykis.tools;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The executable jar's entry point: {@code java -jar jivykis.jar <command> [args]}.
 *
 * <p>Commands: {@code tour} (a short guided run of the library), {@code post} (post
 * an event this process was passed), {@code bench} (measurements).
 */
public final class Main {
    private Main() {}

    /** Runs a command; exits with 2 on a usage error. */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "tour" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "tour":
                Tour.run(System.out);
                break;
            case "bench":
                int status = io.jivykis.tools.bench.BenchCommand.run(rest, System.out, System.err);
                if (status != 0) {
                    System.exit(status);
                }
                break;
            case "post":
                System.exit(PostCommand.run(rest, System.err));
                break;
            case "help":
            case "--help":
            case "-h":
                usage(System.out);
                break;
            default:
                System.err.println("jivykis: unknown command '" + command + "'" + (rest.length > 0 ? " " + String.join(" ", rest) : ""));
                usage(System.err);
                System.exit(2);
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar jivykis.jar <command>");
        out.println("  tour    a short guided run: register events and post them from this thread and another");
        out.println("  bench   measure posts and wake-ups (bench --help for the options)");
        PostCommand.describe(out);
    }
}
