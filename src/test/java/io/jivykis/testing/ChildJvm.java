package io.jivykis.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A main class of the test class path run in a child JVM: the one way tests start a JVM.
 *
 * <p>Every child gets what the test JVM itself runs with: native access granted, no container
 * support (in a container the JVM's own threads open cgroup files now and then, which would
 * show up in descriptor counts), the extra flags of this test run ({@code
 * jivykis.test.childJvmArgs}, for instance -Xcheck:jni) and this JVM's {@code jivykis.backend}.
 * Options given with {@link #jvmArgs} come after those, so they win.
 */
public final class ChildJvm {
    /** The backend switch of the library (EventDescriptor.BACKEND_PROPERTY). */
    private static final String BACKEND_PROPERTY = "jivykis.backend";

    private final Class<?> mainClass;
    private final List<String> args;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> prefix = new ArrayList<>();
    private String classPath = System.getProperty("java.class.path");
    private Path crashDir;

    private ChildJvm(Class<?> mainClass, String... args) {
        this.mainClass = mainClass;
        this.args = List.of(args);
    }

    /** A child JVM that will run {@code mainClass} with {@code args}. */
    public static ChildJvm of(Class<?> mainClass, String... args) {
        return new ChildJvm(mainClass, args);
    }

    /** Adds JVM options (system properties, -Xrs...). */
    public ChildJvm jvmArgs(String... options) {
        jvmArgs.addAll(List.of(options));
        return this;
    }

    /** Runs the JVM under {@code programs} ("bash -c 'ulimit -n 128 && exec "$@"' --", a seccomp launcher). */
    public ChildJvm under(String... programs) {
        prefix.addAll(List.of(programs));
        return this;
    }

    /** Uses {@code path} as the class path instead of this JVM's. */
    public ChildJvm classPath(String path) {
        classPath = path;
        return this;
    }

    /** Makes the child write its crash log (hs_err) into {@code dir}, for {@link Result#crashLogs}. */
    public ChildJvm crashLogsIn(Path dir) {
        crashDir = dir;
        return this;
    }

    /** The command line, for a caller that starts the process itself (a ChildProcessBuilder passing events). */
    public List<String> command() {
        List<String> cmd = new ArrayList<>(prefix);
        // Under emulation (.ci/run's aarch64 pass) the JVM binary needs its emulator in front:
        // no binfmt handler runs it by itself in a container.
        String launcher = System.getProperty("jivykis.test.jvmLauncher", "").trim();
        if (!launcher.isEmpty()) {
            cmd.addAll(List.of(launcher.split("\\s+")));
        }
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:-UseContainerSupport");
        // A short-lived child: start fast and stay small.
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k"));
        String extra = System.getProperty("jivykis.test.childJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        String backend = System.getProperty(BACKEND_PROPERTY);
        if (backend != null) {
            cmd.add("-D" + BACKEND_PROPERTY + "=" + backend);
        }
        if (crashDir != null) {
            cmd.add("-XX:ErrorFile=" + crashDir.resolve("hs_err_pid%p.log"));
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** Runs the child to its end (two minutes at most), standard input empty, and collects what it printed. */
    public Result run() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        // Close every stream of the child here: left to the garbage collector, their pipes
        // would close at some later moment, in the middle of another test's descriptor count.
        byte[] out;
        try (InputStream in = process.getInputStream();
                OutputStream stdin = process.getOutputStream();
                InputStream err = process.getErrorStream()) {
            out = in.readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM " + mainClass.getSimpleName() + " did not finish in 120 s");
            }
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), crashLogs());
    }

    private List<Path> crashLogs() throws IOException {
        if (crashDir == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(crashDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("hs_err")).collect(Collectors.toList());
        }
    }

    /** What a finished child left behind. */
    public static final class Result {
        public final int exitCode;
        /** Standard output and standard error, interleaved. */
        public final String output;
        /** The crash logs it wrote into {@link #crashLogsIn}'s directory (empty when none was given). */
        public final List<Path> crashLogs;

        Result(int exitCode, String output, List<Path> crashLogs) {
            this.exitCode = exitCode;
            this.output = output;
            this.crashLogs = crashLogs;
        }

        /** The lines of the output that start with {@code prefix}. */
        public List<String> lines(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", crash logs " + crashLogs + ", output:\n" + output;
        }
    }
}
