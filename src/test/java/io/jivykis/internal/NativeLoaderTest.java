package io.jivykis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.children.ExtractionReport;
import io.jivykis.testing.ChildJvm;
import io.jivykis.testing.MappedLibrary;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extracted library: 0600 in a fresh 0700 directory, an unpredictable name, deleted after
 * load. Seen from outside the loader: the kernel's map of this process, and the file system
 * while a child JVM's extraction is held half-way.
 */
class NativeLoaderTest {
    @Test
    void thisJvmLoadedFromAPrivateFileInAPrivateDirectoryAndDeletedBoth() {
        Native.ensureLoaded();
        MappedLibrary library = MappedLibrary.find();
        Path file = library.file;
        Path directory = file.getParent();
        assertTrue(library.deleted, "the loader left " + file + " behind");
        assertFalse(Files.exists(file), file + " still exists");
        assertFalse(Files.exists(directory), directory + " still exists");
        assertTrue(file.getFileName().toString().matches("libjivykis-.+\\.so"), "file name " + file);
        assertTrue(directory.getFileName().toString().startsWith("jivykis-"), "directory name " + directory);
        Path base = Paths.get(System.getProperty(NativeLoader.WORKDIR_PROPERTY, System.getProperty("java.io.tmpdir")));
        assertEquals(base.toAbsolutePath(), directory.getParent().toAbsolutePath(), "made under the work directory");
    }

    /**
     * Each child finds the library at a FIFO, so its loader stops in the copy, with the private
     * directory and file made: the modes are read then, from the file system. Writing the real
     * library into the FIFO lets the load finish.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoJvmsUseDifferentPathsAndLeaveTheWorkDirectoryEmpty(@TempDir Path temp) throws Exception {
        Path workdir = Files.createDirectory(temp.resolve("work"));
        URL resource = ClassLoader.getSystemResource(NativeLoader.resourceOf(Platform.current()));
        Path library = Paths.get(resource.toURI());
        // The class path entry holding the library: its path less the resource's components.
        Path root = library.getRoot().resolve(library.subpath(0,
                library.getNameCount() - Paths.get(NativeLoader.resourceOf(Platform.current())).getNameCount()));
        byte[] bytes = Files.readAllBytes(library);
        // The classes without the library, and the library's place taken by a FIFO: the loader
        // refuses a second copy on the class path.
        Path classes = copyWithout(root, temp.resolve("classes"), root.resolve("META-INF/native"));
        Path fifo = temp.resolve("natives").resolve(NativeLoader.resourceOf(Platform.current()));
        Files.createDirectories(fifo.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo " + fifo);
        String classPath = Stream.concat(Stream.of(classes.toString(), temp.resolve("natives").toString()),
                Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(entry -> !Paths.get(entry).toAbsolutePath().equals(root.toAbsolutePath())))
                .collect(Collectors.joining(File.pathSeparator));

        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> cmd = ChildJvm.of(ExtractionReport.class).classPath(classPath)
                    .jvmArgs("-D" + NativeLoader.WORKDIR_PROPERTY + "=" + workdir).command();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Path file = awaitExtraction(workdir, p);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())),
                    "mode of the directory holding the library");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    "mode of the extracted library file");
            try (OutputStream out = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
            assertEquals(0, p.exitValue(), out);
            String line = out.lines().filter(l -> l.startsWith("extraction ")).findFirst()
                    .orElseThrow(() -> new AssertionError(out));
            String[] f = line.split(" ");
            assertEquals(file.toAbsolutePath(), Paths.get(f[1]).toAbsolutePath(), line);
            assertEquals("true", f[2], "the child's library file was deleted after loading: " + line);
            files.add(file);
        }
        assertNotEquals(files.get(0).getParent(), files.get(1).getParent(), "two JVMs extracted into the same directory");
        assertNotEquals(files.get(0).getFileName(), files.get(1).getFileName(), "two JVMs used the same file name");
        try (Stream<Path> left = Files.list(workdir)) {
            assertEquals(0, left.count(), "the work directory is not empty after both loads");
        }
    }

    /** The library file a child's loader made under {@code workdir}, once it exists. */
    private static Path awaitExtraction(Path workdir, Process child) throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < giveUp) {
            try (Stream<Path> dirs = Files.list(workdir)) {
                for (Path dir : (Iterable<Path>) dirs::iterator) {
                    try (Stream<Path> made = Files.list(dir)) {
                        Path file = made.filter(p -> p.getFileName().toString().startsWith("libjivykis-"))
                                .findFirst().orElse(null);
                        if (file != null) {
                            return file;
                        }
                    }
                }
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child exited before extracting: "
                        + new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the child made no library file under " + workdir + " within 60 s");
    }

    /** Copies the tree at {@code from} to {@code to}, leaving out everything under {@code excluded}. */
    private static Path copyWithout(Path from, Path to, Path excluded) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                if (source.startsWith(excluded)) {
                    continue;
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return to;
    }
}
