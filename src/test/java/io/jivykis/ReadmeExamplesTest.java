package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```java block of README.md, compiled and run as the body of a main in a child JVM,
 * each within 30 seconds and exiting 0. Only what an example leaves to the reader is filled
 * in, before and after it ({@link #FILLERS}, found by a name the example uses): a method it
 * calls ({@code reload()}, {@code consume(fd)}), a variable it uses ({@code wake}, {@code fd}),
 * the program it starts ({@code worker}), and the signal a signal example waits for.
 */
class ReadmeExamplesTest {
    /** What the reader supplies: {prelude, postlude, members}, keyed by a text the example contains. */
    private static final Map<String, String[]> FILLERS = Map.of(
            "reload()", new String[] {
                // Someone sends the SIGHUP the example waits for; until its handler is installed a
                // no-op Java handler keeps the JVM from taking SIGHUP as a shutdown request.
                "sun.misc.Signal.handle(new sun.misc.Signal(\"HUP\"), s -> { });\n"
                + "Thread hupper = new Thread(() -> { while (true) { sun.misc.Signal.raise(new sun.misc.Signal(\"HUP\"));"
                + " try { Thread.sleep(100); } catch (InterruptedException e) { return; } } });\n"
                + "hupper.setDaemon(true); hupper.start();\n",
                "",
                "static void reload() { EventLoop.current().quit(); }\n"},
            "pass(wake, \"WAKE\")", new String[] {
                "EventLoop loop = EventLoop.open();\n"
                + "EventRaw wake = new EventRaw(() -> EventLoop.current().quit());\n"
                + "wake.register();\n",
                "loop.run();\nif (child.waitFor() != 0) throw new AssertionError(\"worker failed\");\nloop.close();\n",
                ""},
            "consume(fd)", new String[] {
                // A descriptor that never becomes readable: the example's timer ends the run.
                "long pipe = io.jivykis.internal.Native.pipe();\nint fd = (int) (pipe >>> 32);\n",
                "",
                "static void consume(int fd) { }\n"});

    @Test
    void everyJavaExampleCompilesAndRuns(@TempDir Path tmp) throws Exception {
        Path javac = Paths.get(System.getProperty("java.home"), "bin", "javac");
        assumeTrue(Files.isExecutable(javac), "compiling the examples needs a JDK; this is a JRE: " + javac);
        String readme = Files.readString(Paths.get("README.md"));
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> classes = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        while (block.find()) {
            String name = "ReadmeExample" + (classes.size() + 1);
            Path source = tmp.resolve(name + ".java");
            Files.writeString(source, program(name, block.group(1)));
            classes.add(name);
            sources.add(source.toString());
        }
        assertTrue(classes.size() >= 4, "README.md has " + classes.size() + " java blocks");
        List<String> compile = new ArrayList<>(List.of(javac.toString(), "-nowarn", "-d", tmp.toString(),
                "-cp", System.getProperty("java.class.path")));
        compile.addAll(sources);
        Process javacRun = new ProcessBuilder(compile).redirectErrorStream(true).start();
        String javacOut = new String(javacRun.getInputStream().readAllBytes());
        assertEquals(0, javacRun.waitFor(), "the README's examples do not compile:\n" + javacOut);

        Path bin = Files.createDirectory(tmp.resolve("bin"));
        writeWorker(bin.resolve("worker"));
        for (String name : classes) {
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-XX:-UseContainerSupport",
                    "-cp", tmp + File.pathSeparator + System.getProperty("java.class.path"), name));
            String launcher = System.getProperty("jivykis.test.jvmLauncher", "").trim();
            if (!launcher.isEmpty()) {
                command.addAll(0, List.of(launcher.split("\\s+")));
            }
            // Output to a file: a child killed for taking too long still leaves what it printed.
            Path log = tmp.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
            Process run = builder.start();
            boolean done = run.waitFor(30, TimeUnit.SECONDS);
            if (!done) {
                run.destroyForcibly().waitFor();
            }
            String out = Files.readString(log);
            assertTrue(done, name + " (README block " + name.substring(13) + ") did not return in 30 s:\n" + out);
            assertEquals(0, run.exitValue(), name + " failed:\n" + out);
        }
    }

    /** The example as the body of a main, with what the reader supplies around it. */
    private static String program(String name, String example) {
        String prelude = "";
        String postlude = "";
        String members = "";
        for (Map.Entry<String, String[]> filler : FILLERS.entrySet()) {
            if (example.contains(filler.getKey())) {
                prelude += filler.getValue()[0];
                postlude += filler.getValue()[1];
                members += filler.getValue()[2];
            }
        }
        return "import io.jivykis.*;\nimport java.time.Duration;\n\n"
                + "public final class " + name + " {\n" + members
                + "public static void main(String[] args) throws Exception {\n"
                + prelude + example + postlude + "}\n}\n";
    }

    /** The README's "worker": a program that posts the event passed as WAKE (the C tool of this build). */
    private static void writeWorker(Path worker) throws Exception {
        Path tool = Paths.get(System.getProperty("jivykis.test.nativeDir", "target/native"), "jivykis-post")
                .toAbsolutePath();
        Files.writeString(worker, "#!/bin/sh\nexec '" + tool + "' WAKE\n");
        Files.setPosixFilePermissions(worker, PosixFilePermissions.fromString("rwx------"));
    }
}
