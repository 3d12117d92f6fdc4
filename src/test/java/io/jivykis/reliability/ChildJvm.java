package io.jivykis.reliability;

import java.io.IOException;
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
 * Runs a main class of the test class path in a child JVM, optionally under a shell prefix
 * such as {@code ulimit -n 64}, with its crash log (hs_err) directed into a directory the
 * caller checks afterwards.
 */
final class ChildJvm {
    /** What a finished child left behind. */
    static final class Result {
        final int exitCode;
        final String output;
        final List<Path> crashLogs;

        Result(int exitCode, String output, List<Path> crashLogs) {
            this.exitCode = exitCode;
            this.output = output;
            this.crashLogs = crashLogs;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", crash logs " + crashLogs + ", output:\n" + output;
        }
    }

    private ChildJvm() {}

    /** The java launcher of the running JVM. */
    static String javaLauncher() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The command line that starts {@code mainClass} in a child JVM with the test class path.
     *
     * @param crashDir where the child writes an hs_err file if it crashes
     */
    static List<String> command(Path crashDir, List<String> jvmArgs, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaLauncher());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx64m");
        // As for the test JVM: in a container the JVM's own threads open cgroup files now and
        // then, which would show up in the children's descriptor counts.
        cmd.add("-XX:-UseContainerSupport");
        cmd.add("-XX:ErrorFile=" + crashDir.resolve("hs_err_pid%p.log"));
        // The extra flags of this test run (for instance -Xcheck:jni) apply to children too.
        String extra = System.getProperty("jivykis.test.childJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(jvmArgs);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs the command, under {@code bash -c "<shellPrefix>; exec ..."} when a prefix is given. */
    static Result run(Path crashDir, String shellPrefix, List<String> jvmArgs, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = command(crashDir, jvmArgs, mainClass, args);
        if (shellPrefix != null) {
            String quoted = cmd.stream().map(ChildJvm::shellQuote).collect(Collectors.joining(" "));
            cmd = List.of("bash", "-c", shellPrefix + "; exec " + quoted);
        }
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try {
            out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child JVM " + mainClass + " did not finish in 120 s");
            }
        } finally {
            process.destroyForcibly();
            process.getOutputStream().close();
            process.getInputStream().close();
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(crashDir)) {
            logs = files.filter(p -> p.getFileName().toString().startsWith("hs_err")).collect(Collectors.toList());
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), logs);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
