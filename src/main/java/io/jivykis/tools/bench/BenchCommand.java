package io.jivykis.tools.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code java -jar jivykis.jar bench [--seconds S] [--only NAME[,NAME...]] [--native-dir DIR]
 * [--scale-sizes N[,N...]]}:
 * runs each case on each jivykis implementation and prints one line per result,
 * {@code name=<bench> impl=<impl> ops=<N> ns_per_op=<X> ops_per_sec=<Y>} with extra
 * {@code key=value} fields after. Where a raw C comparison program is found, its line
 * ({@code impl=c-raw}) follows, and lines starting with {@code #} give the ratios.
 */
public final class BenchCommand {
    /** A case: runs on one implementation and reports each result (and any note) as it comes. */
    private interface Case {
        void run(Impl impl, Timing timing, Consumer<BenchResult> results, Consumer<String> notes) throws Exception;
    }

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("selfpost", (impl, timing, results, notes) -> results.accept(SelfPostBench.run(impl, timing)));
        CASES.put("pingpong", (impl, timing, results, notes) -> results.accept(PingPongBench.run(impl, timing)));
        CASES.put("burst", (impl, timing, results, notes) -> results.accept(BurstBench.run(impl, timing)));
        CASES.put("xproc", (impl, timing, results, notes) -> results.accept(XprocBench.run(impl, timing)));
        CASES.put("signal", (impl, timing, results, notes) -> results.accept(SignalBench.run(impl, timing)));
        CASES.put("scale", (impl, timing, results, notes) -> {
            for (int size : timing.scaleSizes()) {
                results.accept(ScaleBench.run(impl, timing, ScaleBench.fit(impl, size, notes)));
            }
        });
        CASES.put("alloc", (impl, timing, results, notes) -> results.accept(AllocBench.run(impl, timing)));
    }

    /** The cases that need each object's own descriptor, so they run on EventRaw impls only. */
    private static final List<String> DESCRIPTOR_CASES = List.of("xproc", "signal", "scale");

    /** The cases that have a raw C comparison program. */
    private static final List<String> RAW_PROGRAMS = List.of("selfpost", "pingpong", "xproc", "signal");

    private BenchCommand() {}

    /**
     * Runs the command.
     *
     * @return the exit status: 0, 1 when a case failed, 2 on a usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        double seconds = 1.0;
        List<String> only = new ArrayList<>(CASES.keySet());
        String nativeDir = null;
        int[] scaleSizes = ScaleBench.SIZES;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seconds":
                        seconds = Double.parseDouble(value(args, ++i, "--seconds"));
                        break;
                    case "--only":
                        only = Arrays.asList(value(args, ++i, "--only").split(","));
                        for (String name : only) {
                            if (!CASES.containsKey(name)) {
                                throw new IllegalArgumentException("--only " + name + " is not a bench; the benches are "
                                        + String.join(", ", CASES.keySet()));
                            }
                        }
                        break;
                    case "--help":
                    case "-h":
                        usage(out);
                        return 0;
                    case "--scale-sizes":
                        scaleSizes = sizes(value(args, ++i, "--scale-sizes"));
                        break;
                    case "--native-dir":
                        nativeDir = value(args, ++i, "--native-dir");
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            return new Runner(new Timing(seconds, scaleSizes), RawPrograms.find(nativeDir), out, err).runAll(only);
        } catch (IllegalArgumentException e) {
            err.println("jivykis bench: " + e.getMessage());
            usage(err);
            return 2;
        }
    }

    private static int[] sizes(String list) {
        try {
            int[] sizes = Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
            if (Arrays.stream(sizes).anyMatch(size -> size < 1)) {
                throw new NumberFormatException("a size below 1");
            }
            return sizes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--scale-sizes takes positive whole numbers separated by commas, got '"
                    + list + "'");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Prints the command's usage. */
    public static void usage(PrintStream out) {
        out.println("usage: java -jar jivykis.jar bench [--seconds S] [--only NAME[,NAME...]] [--native-dir DIR]"
                + " [--scale-sizes N[,N...]]");
        out.println("  --seconds S      measured time per case (default 1; a quarter of it more to warm up)");
        out.println("  --only NAMES     run only these: " + String.join(", ", CASES.keySet()));
        out.println("  --native-dir DIR where the raw C programs (jivykis-raw-*) are, for impl=c-raw lines;");
        out.println("                   default: the system property " + RawPrograms.NATIVE_DIR_PROPERTY);
        out.println("  --scale-sizes NS how many objects the scale case registers (default 1,1000,100000)");
    }

    /** One invocation: runs the chosen cases and prints lines and ratios. */
    private static final class Runner {
        private final Timing timing;
        private final RawPrograms raw;
        private final PrintStream out;
        private final PrintStream err;
        private int failures;

        Runner(Timing timing, RawPrograms raw, PrintStream out, PrintStream err) {
            this.timing = timing;
            this.raw = raw;
            this.out = out;
            this.err = err;
        }

        int runAll(List<String> names) {
            for (String name : names) {
                Map<String, Double> nsPerOp = new LinkedHashMap<>();
                for (Impl impl : Impl.values()) {
                    if (!impl.hasDescriptor() && DESCRIPTOR_CASES.contains(name)) {
                        continue;
                    }
                    try {
                        CASES.get(name).run(impl, timing, result -> print(result.line(), nsPerOp),
                                note -> out.println("# " + note));
                    } catch (Exception | Error e) {
                        fail(name + " impl=" + impl.label(), e);
                    }
                }
                if (name.equals("signal")) {
                    runPeer(name, () -> SignalBench.runSunMisc(timing), nsPerOp);
                }
                runRaw(name, nsPerOp);
                printRatios(name, nsPerOp);
            }
            return failures == 0 ? 0 : 1;
        }

        /** A peer measured in this JVM (not a jivykis impl), printed like the others. */
        private void runPeer(String name, java.util.concurrent.Callable<BenchResult> peer, Map<String, Double> nsPerOp) {
            try {
                print(peer.call().line(), nsPerOp);
            } catch (Exception | Error e) {
                fail(name + " peer", e);
            }
        }

        private void runRaw(String name, Map<String, Double> nsPerOp) {
            if (raw == null || !raw.has(name)) {
                if (raw != null && RAW_PROGRAMS.contains(name)) {
                    out.println("# " + name + ": no jivykis-raw-" + name + " in " + raw.directory() + ", no c-raw line");
                }
                return;
            }
            try {
                for (String line : raw.run(name, timing)) {
                    print(line, nsPerOp);
                }
            } catch (Exception e) {
                fail(name + " impl=c-raw", e);
            }
        }

        private void print(String line, Map<String, Double> nsPerOp) {
            out.println(line);
            out.flush();
            String impl = field(line, "impl");
            String perOp = field(line, "ns_per_op");
            if (impl != null && perOp != null && !nsPerOp.containsKey(impl)) {
                nsPerOp.put(impl, Double.parseDouble(perOp));
            }
        }

        /** Rates relative to the raw C program: above 1 means jivykis is faster. */
        private void printRatios(String name, Map<String, Double> nsPerOp) {
            Double c = nsPerOp.get("c-raw");
            if (c == null) {
                return;
            }
            nsPerOp.forEach((impl, ns) -> {
                if (!impl.equals("c-raw") && ns > 0) {
                    out.printf(Locale.ROOT, "# %s: %s ns_per_op is %.3fx c-raw's (rate %.2fx)%n",
                            name, impl, ns / c, c / ns);
                }
            });
        }

        private void fail(String what, Throwable e) {
            failures++;
            err.println("jivykis bench: " + what + " failed: " + e);
            Throwable cause = e.getCause();
            if (cause != null) {
                err.println("  caused by: " + cause);
            }
        }

        private static String field(String line, String key) {
            for (String part : line.split(" ")) {
                if (part.startsWith(key + "=")) {
                    return part.substring(key.length() + 1);
                }
            }
            return null;
        }
    }
}
