package io.jivykis.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bench command runs each case for a tiny duration and prints well-formed lines. It
 * checks the shape of the output only: speed is measured, never asserted.
 */
class BenchCommandTest {
    private static final Pattern RESULT = Pattern.compile(
            "name=[a-z]+ impl=[a-z-]+ ops=[1-9][0-9]* ns_per_op=[0-9]+\\.[0-9] ops_per_sec=[0-9]+( [a-z0-9_]+=[0-9.]+)*");

    private static final class Run {
        final int status;
        final List<String> lines;
        final String err;

        Run(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            status = BenchCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            lines = Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n"));
            this.err = err.toString(StandardCharsets.UTF_8);
        }

        List<String> results() {
            return lines.stream().filter(line -> !line.startsWith("#") && !line.isEmpty()).collect(Collectors.toList());
        }

        List<String> impls() {
            return results().stream().map(line -> line.split(" ")[1]).collect(Collectors.toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selfpost", "pingpong", "burst", "xproc", "signal", "alloc"})
    @Timeout(60)
    void eachCasePrintsOneWellFormedLinePerImpl(String name) throws InterruptedException {
        new Run("--seconds", "0.01", "--only", name, "--native-dir", "/nonexistent"); // loads what it needs
        java.util.Set<String> descriptors = openDescriptors();
        Run run = new Run("--seconds", "0.02", "--only", name, "--native-dir", "/nonexistent");
        assertEquals(0, run.status, run.err);
        assertEquals(descriptors, settledDescriptors(descriptors), "the bench closes every descriptor it opened");
        List<String> expected = name.equals("signal")
                ? List.of("impl=jivykis-eventfd", "impl=jivykis-pipe", "impl=sun-misc-signal")
                : name.equals("xproc")
                ? List.of("impl=jivykis-eventfd", "impl=jivykis-pipe")
                : List.of("impl=jivykis-eventfd", "impl=jivykis-pipe", "impl=jivykis-event");
        assertEquals(expected, run.impls(), String.join("\n", run.lines));
        for (String line : run.results()) {
            assertTrue(RESULT.matcher(line).matches(), line);
            assertTrue(line.startsWith("name=" + name + " "), line);
        }
    }

    @Test
    @Timeout(60)
    void allocReportsBytesPerPostAndPerDispatch() {
        Run run = new Run("--seconds", "0.02", "--only", "alloc");
        for (String line : run.results()) {
            assertTrue(line.contains(" bytes_per_post=") && line.contains(" bytes_per_dispatch=")
                    && line.contains(" bytes_per_self_post="), line);
        }
    }

    @Test
    @Timeout(60)
    void scaleReportsEachSizeWithRegistrationCostAndHeap() {
        Run run = new Run("--seconds", "0.02", "--only", "scale", "--scale-sizes", "1,1000", "--native-dir",
                "/nonexistent");
        assertEquals(0, run.status, run.err);
        assertEquals(4, run.results().size(), String.join("\n", run.lines));
        for (String line : run.results()) {
            assertTrue(RESULT.matcher(line).matches(), line);
            assertTrue(line.contains(" fd_ns_per_op=") && line.contains(" fd_objects="), line);
            boolean thousand = line.contains(" objects=1000 ");
            assertEquals(thousand, line.contains(" register_unregister_ns=") && line.contains(" heap_bytes_per_object="),
                    line);
        }
    }

    @Test
    @Timeout(60)
    void rawProgramsRunFromTheNativeDirectoryWithRatios() throws Exception {
        Path nativeDir = Paths.get(System.getProperty(RawPrograms.NATIVE_DIR_PROPERTY, "target/native"));
        assertTrue(Files.isExecutable(nativeDir.resolve("jivykis-raw-selfpost")),
                "the CMake build makes the raw C programs in " + nativeDir);
        Run run = new Run("--seconds", "0.02", "--only", "selfpost,pingpong,xproc", "--native-dir", nativeDir.toString());
        assertEquals(0, run.status, run.err);
        assertEquals(List.of("impl=jivykis-eventfd", "impl=jivykis-pipe", "impl=jivykis-event", "impl=c-raw",
                "impl=jivykis-eventfd", "impl=jivykis-pipe", "impl=jivykis-event", "impl=c-raw",
                "impl=jivykis-eventfd", "impl=jivykis-pipe", "impl=c-raw"), run.impls());
        for (String line : run.results()) {
            assertTrue(RESULT.matcher(line).matches(), line);
        }
        try (Stream<String> ratios = run.lines.stream().filter(line -> line.startsWith("# ") && line.contains("c-raw"))) {
            assertEquals(8, ratios.count(), String.join("\n", run.lines));
        }
    }

    @Test
    @Timeout(60)
    void theScaleCaseRunsTheCRegistrationTwinAtTheSizesJavaTimed() throws Exception {
        Path nativeDir = Paths.get(System.getProperty(RawPrograms.NATIVE_DIR_PROPERTY, "target/native"));
        Run run = new Run("--seconds", "0.05", "--only", "scale", "--scale-sizes", "1,1000,2000", "--native-dir",
                nativeDir.toString());
        assertEquals(0, run.status, run.err);
        List<String> twins = run.results().stream().filter(line -> line.contains(" impl=c-raw ")).collect(Collectors.toList());
        assertEquals(2, twins.size(), String.join("\n", run.lines));
        for (String size : List.of("1000", "2000")) {
            assertTrue(twins.stream().anyMatch(line -> line.matches(
                    "name=scale impl=c-raw objects=" + size + " ops=[1-9][0-9]* register_unregister_ns=[1-9][0-9]*")),
                    String.join("\n", twins));
            Pattern ratio = Pattern.compile("# scale: jivykis-eventfd register_unregister_ns at n=" + size
                    + " is [0-9.]+x c-raw's");
            assertTrue(run.lines.stream().anyMatch(line -> ratio.matcher(line).matches()),
                    "no registration ratio at " + size + ":\n" + String.join("\n", run.lines));
        }
    }

    @Test
    @Timeout(60)
    void theSignalCaseRunsBothCLayoutsAndComparesTheirLatency() throws Exception {
        Path nativeDir = Paths.get(System.getProperty(RawPrograms.NATIVE_DIR_PROPERTY, "target/native"));
        Run run = new Run("--seconds", "0.05", "--only", "signal", "--native-dir", nativeDir.toString());
        assertEquals(0, run.status, run.err);
        assertEquals(List.of("impl=jivykis-eventfd", "impl=jivykis-pipe", "impl=sun-misc-signal", "impl=c-raw",
                "impl=c-raw-jvm-layout"), run.impls());
        for (String peer : List.of("c-raw", "c-raw-jvm-layout")) {
            Pattern ratio = Pattern.compile("# signal: jivykis-eventfd kill_to_handler_ns is [0-9.]+x " + peer + "'s");
            assertTrue(run.lines.stream().anyMatch(line -> ratio.matcher(line).matches()),
                    "no latency ratio against " + peer + ":\n" + String.join("\n", run.lines));
        }
    }

    /** Each open descriptor with what it refers to, so a failure names the leaked one. */
    private static java.util.Set<String> openDescriptors() {
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (java.io.IOException e) {
                    return fd.getFileName() + " (closed while listing)";
                }
            }).filter(entry -> !entry.endsWith("/fd") && !entry.endsWith("(closed while listing)"))
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The open descriptors once they match {@code expected} or two seconds have passed: other
     * tests' threads may still be closing theirs (asynchronously, from the JDK's own threads).
     */
    private static java.util.Set<String> settledDescriptors(java.util.Set<String> expected) throws InterruptedException {
        long giveUp = System.nanoTime() + 2_000_000_000L;
        java.util.Set<String> now = openDescriptors();
        while (!now.equals(expected) && System.nanoTime() < giveUp) {
            Thread.sleep(20);
            now = openDescriptors();
        }
        return now;
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsWrong() {
        Run unknown = new Run("--only", "nosuch");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.contains("nosuch is not a bench"), unknown.err);
        Run seconds = new Run("--seconds", "-1");
        assertEquals(2, seconds.status);
        assertTrue(seconds.err.contains("--seconds"), seconds.err);
        assertEquals(2, new Run("--seconds").status);
    }

    @Test
    void helpNamesEveryCaseWithWhatOneOperationIs() {
        Run help = new Run("--help");
        assertEquals(0, help.status);
        for (String name : List.of("selfpost", "pingpong", "burst", "xproc", "signal", "scale", "alloc")) {
            assertTrue(help.lines.stream().anyMatch(line -> line.matches("  " + name + " +one op = .+")),
                    name + " is not described:\n" + String.join("\n", help.lines));
        }
    }

    @Test
    @Timeout(60)
    void svgChartHasOneBarPerResultAndProgressGoesToStandardError(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path chart = dir.resolve("bench.svg");
        Run run = new Run("--seconds", "0.02", "--only", "selfpost,burst", "--native-dir", "/nonexistent",
                "--svg", chart.toString());
        assertEquals(0, run.status, run.err);
        List<String> progress = Arrays.stream(run.err.split("\n")).filter(l -> l.startsWith("bench "))
                .collect(Collectors.toList());
        assertEquals(6, progress.size(), run.err); // two cases, three impls each
        assertTrue(progress.get(0).startsWith("bench 1/2: selfpost impl=jivykis-eventfd"), progress.get(0));
        String text = Files.readString(chart);
        assertTrue(text.startsWith("<?xml") && text.contains("<svg ") && text.trim().endsWith("</svg>"), text);
        long bars = Pattern.compile("<rect class=\"(ours|peer)\"").matcher(text).results().count();
        assertEquals(run.results().size(), bars, "one bar per result line");
        assertTrue(text.contains("selfpost: one op = ") && text.contains("burst: one op = "), text);
    }
}
