package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jivykis.children.AvailabilityProbe;
import io.jivykis.children.LoaderProbe;
import io.jivykis.testing.ChildJvm;
import java.io.File;
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
 * Every place the loader takes the library from, and what a platform without one sees; each
 * in a child JVM, whose own /proc/self/maps says which file it mapped.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoaderPathsTest {
    /** The library this build made for the test JVM's platform (jivykis.test.libraryDir, else nativeDir). */
    private static final Path BUILT = Paths.get(System.getProperty("jivykis.test.libraryDir", System.getProperty("jivykis.test.nativeDir", "target/native")),
            "libjivykis.so");

    private static String probe(ChildJvm child) throws Exception {
        ChildJvm.Result result = child.run();
        assertEquals(0, result.exitCode, result.toString());
        return result.output.lines().filter(l -> l.startsWith("loaded from ") || l.startsWith("failure: "))
                .findFirst().orElseThrow(() -> new AssertionError(result.toString()));
    }

    @Test
    void fromTheJarThroughAPrivateCopyThatIsDeletedOnceMapped() throws Exception {
        String line = probe(ChildJvm.of(LoaderProbe.class));
        assertTrue(line.matches("loaded from .*/jivykis-[^/]+/libjivykis-[^/]+\\.so \\(deleted\\)"), line);
    }

    @Test
    void jivykisLibraryPathLoadsThatDirectorysLibraryInPlace(@TempDir Path dir) throws Exception {
        Files.copy(BUILT, dir.resolve("libjivykis.so"));
        String line = probe(ChildJvm.of(LoaderProbe.class).jvmArgs("-Djivykis.library.path=" + dir));
        assertEquals("loaded from " + dir.resolve("libjivykis.so"), line);
    }

    @Test
    void jivykisLibraryPathWithoutTheLibraryNamesTheFileAndTheProperty(@TempDir Path dir) throws Exception {
        String line = probe(ChildJvm.of(LoaderProbe.class).jvmArgs("-Djivykis.library.path=" + dir));
        assertContains(line, "UnsatisfiedLinkError", "no libjivykis.so at " + dir.resolve("libjivykis.so"),
                "-Djivykis.library.path=" + dir);
    }

    @Test
    void aJarWithoutThisPlatformsLibraryFallsBackToJavaLibraryPath(@TempDir Path tmp) throws Exception {
        Path classes = stripped(tmp.resolve("classes"));
        Path lib = Files.createDirectory(tmp.resolve("jni"));
        Files.copy(BUILT, lib.resolve("libjivykis.so"));
        String line = probe(ChildJvm.of(LoaderProbe.class).classPath(withoutLibraries(classes))
                .jvmArgs("-Djava.library.path=" + lib));
        assertEquals("loaded from " + lib.resolve("libjivykis.so"), line);
    }

    @Test
    void noLibraryAnywhereSaysWhereItLookedAndWhatToSet(@TempDir Path tmp) throws Exception {
        Path classes = stripped(tmp.resolve("classes"));
        String line = probe(ChildJvm.of(LoaderProbe.class).classPath(withoutLibraries(classes))
                .jvmArgs("-Djava.library.path=" + tmp));
        assertContains(line, "UnsatisfiedLinkError", "found no native library at META-INF/native/",
                "java.library.path=" + tmp, "-Djivykis.library.path=");
    }

    @Test
    void aJniOnLoadThatCannotBindAClassUndoesItAndNamesTheClass(@TempDir Path tmp) throws Exception {
        // A class of another build: TimedWaitNative without its native method, first on the class path.
        Path src = Files.createDirectories(tmp.resolve("src/io/jivykis/internal")).resolve("TimedWaitNative.java");
        Files.writeString(src, "package io.jivykis.internal; final class TimedWaitNative {}\n");
        Path out = Files.createDirectory(tmp.resolve("stub"));
        Path javac = Paths.get(System.getProperty("java.home"), "bin", "javac");
        assumeTrue(Files.isExecutable(javac), "compiling the stub class needs a JDK; this is a JRE: " + javac);
        Process compile = new ProcessBuilder(javac.toString(), "-d", out.toString(), src.toString()).inheritIO().start();
        assertEquals(0, compile.waitFor(), "compiling the stub");
        String line = probe(ChildJvm.of(LoaderProbe.class)
                .classPath(out + File.pathSeparator + System.getProperty("java.class.path")));
        assertContains(line, "UnsatisfiedLinkError", "JNI_OnLoad could not bind the native methods of"
                + " io/jivykis/internal/TimedWaitNative", "NoSuchMethodError", "no class was left bound",
                "different builds");
    }

    @Test
    void anUnsupportedPlatformIsReportedByTheProbesAndByEveryFirstUseAlike() throws Exception {
        ChildJvm.Result result = ChildJvm.of(AvailabilityProbe.class).jvmArgs("-Dos.arch=sparc").run();
        assertEquals(0, result.exitCode, result.toString());
        String expected = "java.lang.UnsupportedOperationException: jivykis supports Linux on x86_64 and aarch64"
                + " (it needs epoll and eventfd); this JVM reports os.name=Linux os.arch=sparc";
        assertEquals(List.of("available false"), result.lines("available "));
        assertEquals(List.of("cause " + expected), result.lines("cause "));
        assertEquals(List.of("ensure " + expected), result.lines("ensure "));
        List<String> uses = result.lines("use ");
        assertEquals(24, uses.size(), result.toString());
        for (String use : uses) {
            assertTrue(use.endsWith(": " + expected), "the first use of a class, on either attempt: " + use);
        }
    }

    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "lacks \"" + part + "\": " + text);
        }
    }

    /** A copy of the test JVM's main classes without META-INF/native: what a distribution ships. */
    private static Path stripped(Path copy) throws Exception {
        Path classes = Paths.get(NativeClasses.LOCATION);
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = classes.relativize(p);
                if (rel.startsWith(Paths.get("META-INF", "native"))) {
                    continue;
                }
                Path target = copy.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    /** This JVM's class path with the stripped copy in place of the main classes. */
    private static String withoutLibraries(Path classes) {
        StringBuilder path = new StringBuilder(classes.toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Paths.get(entry).toAbsolutePath().equals(Paths.get(NativeClasses.LOCATION).toAbsolutePath())) {
                path.append(File.pathSeparator).append(entry);
            }
        }
        return path.toString();
    }

    /** Where the library's classes (and the jar's native directory) are on this test class path. */
    private static final class NativeClasses {
        static final String LOCATION;

        static {
            try {
                LOCATION = Paths.get(EventLoop.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString();
            } catch (java.net.URISyntaxException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
