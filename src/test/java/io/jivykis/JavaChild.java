package io.jivykis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs a main class of the test class path in a child JVM and collects what it printed. */
final class JavaChild {
    final int exitCode;
    final String output;

    private JavaChild(int exitCode, String output) {
        this.exitCode = exitCode;
        this.output = output;
    }

    /**
     * Runs {@code mainClass} with the test class path and {@code jvmArgs}.
     *
     * @param prefix programs the JVM runs under ("bash -c 'ulimit -n 128; exec \"$@\"' --", a
     *     seccomp launcher), or an empty list
     * @param classPath the class path, or null for this JVM's
     */
    static JavaChild run(List<String> prefix, List<String> jvmArgs, String classPath, Class<?> mainClass,
            String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx64m");
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1"); // a short-lived child: start fast
        cmd.add("-cp");
        cmd.add(classPath != null ? classPath : System.getProperty("java.class.path"));
        cmd.addAll(jvmArgs);
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        // Close every stream of the child here: left to the garbage collector, their pipes
        // would close at some later moment, in the middle of another test's descriptor count.
        try (InputStream in = process.getInputStream();
                OutputStream stdin = process.getOutputStream();
                InputStream err = process.getErrorStream()) {
            byte[] out = in.readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                fail("child JVM " + mainClass.getSimpleName() + " did not finish in 60 s");
            }
            return new JavaChild(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    /** The lines that start with {@code prefix}. */
    List<String> lines(String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + ", output:\n" + output;
    }
}
