package io.jivykis.tools.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code java -jar jivykis.jar bench [--seconds S] [--only NAME[,NAME...]] [--native-dir DIR]
 * [--scale-sizes N[,N...]] [--svg FILE]}:
 * runs each case on each jivykis implementation and prints one line per result,
 * {@code name=<bench> impl=<impl> ops=<N> ns_per_op=<X> ops_per_sec=<Y>} with extra
 * {@code key=value} fields after. Where a raw C comparison program is found, its line
 * ({@code impl=c-raw}) follows, and lines starting with {@code #} give the ratios. Progress
 * goes to standard error; {@code --svg} also draws the run as a bar chart ({@link BenchChart}).
 */
public final class BenchCommand {
    /** A case: runs on one implementation and reports each result (and any note) as it comes. */
    private interface Case {
        void run(Impl impl, Timing timing, Consumer<BenchResult> results, Consumer<String> notes) throws Exception;
    }

    /** A case and what one operation of it is, for --help and the chart. */
    private static final class CaseSpec {
        final String operation;
        final Case body;

        CaseSpec(String operation, Case body) {
            this.operation = operation;
            this.body = body;
        }
    }

    private static final Map<String, CaseSpec> CASES = new LinkedHashMap<>();

    static {
        CASES.put("selfpost", new CaseSpec("one handler call; the handler re-posts its own object (same thread)",
                (impl, timing, results, notes) -> results.accept(SelfPostBench.run(impl, timing))));
        CASES.put("pingpong", new CaseSpec("one round trip between two loops on two threads (two wake-ups)",
                (impl, timing, results, notes) -> results.accept(PingPongBench.run(impl, timing))));
        CASES.put("burst", new CaseSpec("one post from another thread to an object that is mostly pending already",
                (impl, timing, results, notes) -> results.accept(BurstBench.run(impl, timing))));
        CASES.put("xproc", new CaseSpec("one round trip between this process's loop and a child JVM's",
                (impl, timing, results, notes) -> results.accept(XprocBench.run(impl, timing))));
        CASES.put("signal", new CaseSpec("one kill(2) of this process answered by the handler on its loop",
                (impl, timing, results, notes) -> results.accept(SignalBench.run(impl, timing))));
        CASES.put("scale", new CaseSpec("one handler call that posts a random one of N registered objects",
                (impl, timing, results, notes) -> {
                    for (int size : timing.scaleSizes()) {
                        results.accept(ScaleBench.run(impl, timing, ScaleBench.fit(impl, size, notes), notes));
                    }
                }));
        CASES.put("alloc", new CaseSpec("one cross-thread post (bytes allocated per post and per dispatch)",
                (impl, timing, results, notes) -> results.accept(AllocBench.run(impl, timing))));
    }

    /** The cases that need each object's own descriptor, so they run on EventRaw impls only. */
    private static final List<String> DESCRIPTOR_CASES = List.of("xproc", "signal", "scale");

    /** The cases that have a raw C comparison program. */
    private static final List<String> RAW_PROGRAMS = List.of("selfpost", "pingpong", "xproc", "signal", "scale");

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
        Path svg = null;
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
                    case "--svg":
                        svg = Paths.get(value(args, ++i, "--svg"));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            Runner runner = new Runner(new Timing(seconds, scaleSizes), RawPrograms.find(nativeDir), out, err);
            int status = runner.runAll(only);
            if (svg != null) {
                status = runner.writeChart(svg) ? status : 1;
            }
            return status;
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
                + " [--scale-sizes N[,N...]] [--svg FILE]");
        out.println("  --seconds S      measured time per case (default 1; a quarter of it more to warm up)");
        out.println("  --only NAMES     run only these: " + String.join(", ", CASES.keySet()));
        out.println("  --native-dir DIR where the raw C programs (jivykis-raw-*) are, for impl=c-raw lines;");
        out.println("                   default: the system property " + RawPrograms.NATIVE_DIR_PROPERTY);
        out.println("  --scale-sizes NS how many objects the scale case registers (default 1,1000,100000)");
        out.println("  --svg FILE       also write a bar chart of the run (ns per op, each case, each impl)");
        out.println("cases (ops= counts operations; ns_per_op is the time of one):");
        CASES.forEach((name, spec) -> out.printf(Locale.ROOT, "  %-9s one op = %s%n", name, spec.operation));
        out.println("progress goes to standard error, one line per case and implementation.");
    }

    /** One invocation: runs the chosen cases and prints lines and ratios. */
    private static final class Runner {
        private final Timing timing;
        private final RawPrograms raw;
        private final PrintStream out;
        private final PrintStream err;
        private final BenchChart chart = new BenchChart();
        private int failures;

        Runner(Timing timing, RawPrograms raw, PrintStream out, PrintStream err) {
            this.timing = timing;
            this.raw = raw;
            this.out = out;
            this.err = err;
        }

        int runAll(List<String> names) {
            int position = 0;
            for (String name : names) {
                position++;
                Map<String, Double> nsPerOp = new LinkedHashMap<>();
                chart.startCase(name, CASES.get(name).operation);
                for (Impl impl : Impl.values()) {
                    if (!impl.hasDescriptor() && DESCRIPTOR_CASES.contains(name)) {
                        continue;
                    }
                    progress(position, names.size(), name, impl.label());
                    try {
                        CASES.get(name).body.run(impl, timing, result -> print(result.line(), nsPerOp),
                                note -> out.println("# " + note));
                    } catch (Exception | Error e) {
                        fail(name + " impl=" + impl.label(), e);
                    }
                }
                if (name.equals("signal")) {
                    progress(position, names.size(), name, "sun-misc-signal");
                    runPeer(name, () -> SignalBench.runSunMisc(timing), nsPerOp);
                }
                runRaw(position, names.size(), name, nsPerOp);
                printRatios(name, nsPerOp, latency);
                printRegisterRatios(name);
                latency.clear();
                registerTimes.clear();
            }
            return failures == 0 ? 0 : 1;
        }

        /** One line on standard error before each measurement, so a long run is never silent. */
        private void progress(int position, int count, String name, String impl) {
            err.printf(Locale.ROOT, "bench %d/%d: %s impl=%s (%.1f s)%n", position, count, name, impl,
                    timing.measureNanos() * 1.25e-9);
            err.flush();
        }

        /** Writes the chart of what ran; false (and a message) if the file cannot be written. */
        boolean writeChart(Path file) {
            try {
                Files.writeString(file, chart.svg());
                err.println("bench: chart written to " + file);
                return true;
            } catch (IOException e) {
                err.println("jivykis bench: cannot write the chart to " + file + ": " + e.getMessage());
                return false;
            }
        }

        /** A peer measured in this JVM (not a jivykis impl), printed like the others. */
        private void runPeer(String name, java.util.concurrent.Callable<BenchResult> peer, Map<String, Double> nsPerOp) {
            try {
                print(peer.call().line(), nsPerOp);
            } catch (Exception | Error e) {
                fail(name + " peer", e);
            }
        }

        private void runRaw(int position, int count, String name, Map<String, Double> nsPerOp) {
            if (raw == null || !raw.has(name)) {
                if (raw != null && RAW_PROGRAMS.contains(name)) {
                    out.println("# " + name + ": no jivykis-raw-" + name + " in " + raw.directory() + ", no c-raw line");
                }
                return;
            }
            List<Integer> objects = new ArrayList<>(registerTimes.getOrDefault(REGISTER_IMPL, Map.of()).keySet());
            if (name.equals("scale") && objects.isEmpty()) {
                return; // no Java line timed registering (sizes below 1,000 only), nothing to compare
            }
            progress(position, count, name, "c-raw");
            try {
                for (String line : raw.run(name, timing, objects)) {
                    print(line, nsPerOp);
                }
            } catch (Exception e) {
                fail(name + " impl=c-raw", e);
            }
        }

        /** The impl whose object counts the scale program repeats: the one that does what it does. */
        private static final String REGISTER_IMPL = Impl.JIVYKIS_EVENTFD.label();

        /** register_unregister_ns of the current case, by impl, then by object count (scale only). */
        private final Map<String, Map<Integer, Double>> registerTimes = new LinkedHashMap<>();

        /** The kill -> handler latencies of the current case, by impl (signal only). */
        private final Map<String, Double> latency = new LinkedHashMap<>();

        private void print(String line, Map<String, Double> nsPerOp) {
            out.println(line);
            out.flush();
            String impl = field(line, "impl");
            String perOp = field(line, "ns_per_op");
            String killToHandler = field(line, "kill_to_handler_ns");
            if (impl != null && killToHandler != null && !latency.containsKey(impl)) {
                latency.put(impl, Double.parseDouble(killToHandler));
            }
            String register = field(line, "register_unregister_ns");
            if (impl != null && register != null) {
                registerTimes.computeIfAbsent(impl, key -> new LinkedHashMap<>())
                        .put(Integer.valueOf(field(line, "objects")), Double.parseDouble(register));
            }
            if (impl != null && perOp != null) {
                double ns = Double.parseDouble(perOp);
                chart.add(labelOf(line, impl), ns);
                if (!nsPerOp.containsKey(impl)) {
                    nsPerOp.put(impl, ns);
                }
            }
        }

        /** The bar's label: the impl, and the object count for the scale case's several lines. */
        private static String labelOf(String line, String impl) {
            String objects = field(line, "objects");
            return objects == null ? impl : impl + " n=" + objects;
        }

        /**
         * Rates relative to each raw C program of the case (c-raw, and for signals also
         * c-raw-jvm-layout): above 1 means jivykis is faster. For signals, the kill -> handler
         * latency is compared too, which is what the layouts differ in.
         */
        private void printRatios(String name, Map<String, Double> nsPerOp, Map<String, Double> latency) {
            for (String peer : List.of("c-raw", "c-raw-jvm-layout")) {
                Double c = nsPerOp.get(peer);
                if (c == null) {
                    continue;
                }
                nsPerOp.forEach((impl, ns) -> {
                    if (!impl.startsWith("c-raw") && ns > 0) {
                        ratio(String.format(Locale.ROOT, "%s: %s ns_per_op is %.3fx %s's (rate %.2fx)",
                                name, impl, ns / c, peer, c / ns));
                    }
                });
                Double cLatency = latency.get(peer);
                if (cLatency != null) {
                    latency.forEach((impl, ns) -> {
                        if (!impl.startsWith("c-raw") && ns > 0) {
                            ratio(String.format(Locale.ROOT, "%s: %s kill_to_handler_ns is %.3fx %s's",
                                    name, impl, ns / cLatency, peer));
                        }
                    });
                }
            }
        }

        /**
         * For scale: the eventfd impl's register + unregister time against C's at the same
         * object count (C makes the same system calls as that impl; a pipe makes others).
         */
        private void printRegisterRatios(String name) {
            Map<Integer, Double> c = registerTimes.getOrDefault("c-raw", Map.of());
            registerTimes.getOrDefault(REGISTER_IMPL, Map.of()).forEach((objects, ns) -> {
                Double cNs = c.get(objects);
                if (cNs != null) {
                    ratio(String.format(Locale.ROOT, "%s: %s register_unregister_ns at n=%d is %.3fx c-raw's",
                            name, REGISTER_IMPL, objects, ns / cNs));
                }
            });
        }

        private void ratio(String line) {
            out.println("# " + line);
            chart.addRatio(line);
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
