package io.jivykis.tools.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The raw C comparison programs (built by CMake next to the JNI library: {@code
 * jivykis-raw-<case>} for selfpost, pingpong, xproc, signal and scale), run as child processes so their
 * lines ({@code impl=c-raw}) come from the same run as the Java ones. Children inherit this
 * process's CPU affinity, so {@code taskset} pins both alike.
 */
final class RawPrograms {
    /** The system property the test build sets to the CMake build directory. */
    static final String NATIVE_DIR_PROPERTY = "jivykis.test.nativeDir";

    private final File directory;

    private RawPrograms(File directory) {
        this.directory = directory;
    }

    /** The programs in {@code option}, else in the directory the system property names, else none. */
    static RawPrograms find(String option) {
        String path = option != null ? option : System.getProperty(NATIVE_DIR_PROPERTY);
        return path == null ? null : new RawPrograms(new File(path));
    }

    /** Where the programs are looked for. */
    File directory() {
        return directory;
    }

    /** Whether the comparison program for {@code bench} exists here. */
    boolean has(String bench) {
        return program(bench).canExecute();
    }

    private File program(String bench) {
        return new File(directory, "jivykis-raw-" + bench);
    }

    /**
     * Runs the program for {@code bench} and returns its result lines. The signal program
     * runs twice: with the loop on the thread the signal lands on, as C ivykis has it
     * ({@code c-raw}), and with it on another thread, as in a JVM ({@code c-raw-jvm-layout}).
     *
     * The scale program registers and unregisters as many objects as each of {@code objects}
     * (the counts the Java lines measured).
     *
     * @throws IOException if it cannot start, fails, or prints no result line
     */
    List<String> run(String bench, Timing timing, List<Integer> objects) throws IOException, InterruptedException {
        if (bench.equals("signal")) {
            List<String> lines = new ArrayList<>(runOnce(bench, timing, "main-loop"));
            lines.addAll(runOnce(bench, timing));
            return lines;
        }
        if (bench.equals("scale")) {
            return runOnce(bench, timing, objects.stream().map(String::valueOf).toArray(String[]::new));
        }
        return runOnce(bench, timing);
    }

    private List<String> runOnce(String bench, Timing timing, String... extraArgs)
            throws IOException, InterruptedException {
        File program = program(bench);
        List<String> command = new ArrayList<>(List.of(program.getPath(),
                String.format(Locale.ROOT, "%.3f", timing.seconds())));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        // Closed now rather than by the JDK's reaper thread after the child exits, so no
        // descriptor of this process closes later behind the caller's back.
        process.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("name=")) {
                    lines.add(line);
                }
            }
        }
        long limitMillis = (long) (timing.seconds() * 2_000) + 10_000;
        if (!process.waitFor(limitMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(program + " did not finish within " + limitMillis + " ms");
        }
        if (process.exitValue() != 0 || lines.isEmpty()) {
            throw new IOException(program + " exited with status " + process.exitValue()
                    + (lines.isEmpty() ? " and printed no result line" : ""));
        }
        return lines;
    }
}
