package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jivykis.children.LoaderProbe;
import io.jivykis.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader's failures, each provoked for real in a child JVM: the message says what
 * happened and what to set, instead of a bare UnsatisfiedLinkError.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NativeLoaderFailureTest {

    private static String failureOf(List<String> jvmArgs, String classPath) throws Exception {
        ChildJvm child = ChildJvm.of(LoaderProbe.class).jvmArgs(jvmArgs.toArray(new String[0]));
        if (classPath != null) {
            child.classPath(classPath);
        }
        ChildJvm.Result result = child.run();
        assertEquals(0, result.exitCode, result.toString());
        List<String> failures = result.lines("failure: ");
        assertEquals(1, failures.size(), result.toString());
        return failures.get(0);
    }

    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "lacks \"" + part + "\": " + text);
        }
    }

    @Test
    void aWorkDirectoryThatDoesNotExistIsNamedWithThePropertyToSet(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("no-such-dir");
        String failure = failureOf(List.of("-Djivykis.workdir=" + missing), null);
        assertContains(failure, "UnsatisfiedLinkError", "could not extract", "no such directory: " + missing,
                "-Djivykis.workdir=");
    }

    @Test
    void aNoexecWorkDirectoryIsReportedAsSuchAndLeftEmpty(@TempDir Path tmp) throws Exception {
        Path mount = Files.createDirectory(tmp.resolve("noexec"));
        String why = command("mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", mount.toString());
        assumeTrue(why == null, "cannot mount a noexec tmpfs here (needs root and CAP_SYS_ADMIN): " + why);
        try {
            String failure = failureOf(List.of("-Djivykis.workdir=" + mount), null);
            assertContains(failure, "UnsatisfiedLinkError", "noexec", "-Djivykis.workdir=");
            try (Stream<Path> left = Files.list(mount)) {
                assertEquals(0, left.count(), "the failed load must delete what it extracted");
            }
        } finally {
            command("umount", mount.toString());
        }
    }

    /** Runs a command with its streams closed here; null when it succeeded, else its output. */
    private static String command(String... words) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(words).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try (InputStream out = process.getInputStream();
                OutputStream in = process.getOutputStream();
                InputStream err = process.getErrorStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? null : String.join(" ", words) + ": " + text;
        }
    }

    @Test
    void aSecondCopyOnTheClassPathIsRefusedNamingBoth(@TempDir Path tmp) throws Exception {
        Path copyRoot = tmp.resolve("second");
        String platform = "linux-" + (System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86_64");
        Path copy = copyRoot.resolve("META-INF/native/" + platform + "/libjivykis.so");
        Files.createDirectories(copy.getParent());
        Path original = Paths.get(System.getProperty("jivykis.test.libraryDir", System.getProperty("jivykis.test.nativeDir", "target/native")), "libjivykis.so");
        Files.copy(original, copy);
        String classPath = System.getProperty("java.class.path") + File.pathSeparator + copyRoot;
        String failure = failureOf(List.of(), classPath);
        assertContains(failure, "UnsatisfiedLinkError", "2 copies", copyRoot.toString(), "Keep one jivykis jar");
    }

    @Test
    void anUnsupportedPlatformIsNamed() throws Exception {
        String failure = failureOf(List.of("-Dos.arch=riscv64"), null);
        assertContains(failure, "Linux on x86_64", "os.arch=riscv64");
    }
}
