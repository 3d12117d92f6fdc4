package io.jivykis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Loads the JNI library that travels inside the jar.
 *
 * <p>The library is copied into a fresh private directory (mode 0700, unpredictable name)
 * as a private file (mode 0600), loaded, and both are deleted at once: no fixed or
 * world-readable path is ever used, so no other user can swap the file between copy and
 * load. Every failure is reported with what was tried and what to set.
 *
 * <p>System property {@code jivykis.workdir} chooses the directory under which the private
 * directory is made (default: {@code java.io.tmpdir}); set it when the temporary directory
 * is mounted noexec.
 */
final class NativeLoader {
    /** Where the library lives inside the jar, per platform. */
    static final String PLATFORM = "linux-x86_64";
    static final String RESOURCE = "META-INF/native/" + PLATFORM + "/libjivykis.so";
    static final String WORKDIR_PROPERTY = "jivykis.workdir";

    private NativeLoader() {}

    /** Loads the library; returns null on success or the failure with its full account. */
    static Throwable load() {
        try {
            checkPlatform();
            URL resource = findSingleCopy();
            Path base = workDirectory();
            Path dir = Files.createTempDirectory(base, "jivykis-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = Files.createTempFile(dir, "libjivykis-", ".so",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                // Write into the 0600 file just made: Files.copy with REPLACE_EXISTING would
                // delete it and create a new one with the umask's mode (often 0644).
                try (InputStream in = resource.openStream();
                        OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING)) {
                    in.transferTo(out);
                }
                loadExtracted(file, base);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
            return null;
        } catch (IOException e) {
            return new IllegalStateException("jivykis could not extract its native library " + RESOURCE
                    + " into " + workDirectoryName() + ": " + e + ". Set -D" + WORKDIR_PROPERTY
                    + "=<a writable directory> to use another directory.", e);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return e;
        }
    }

    private static void checkPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsupportedOperationException("jivykis supports Linux on x86_64 (it needs epoll and eventfd);"
                    + " this JVM reports os.name=" + System.getProperty("os.name")
                    + " os.arch=" + System.getProperty("os.arch"));
        }
    }

    /** Finds the library in the jar, refusing two copies: which one loads would be chance. */
    private static URL findSingleCopy() throws IOException {
        ClassLoader loader = NativeLoader.class.getClassLoader();
        List<URL> copies = loader == null
                ? Collections.list(ClassLoader.getSystemResources(RESOURCE))
                : Collections.list(loader.getResources(RESOURCE));
        if (copies.isEmpty()) {
            throw new UnsatisfiedLinkError("jivykis found no native library at " + RESOURCE
                    + " on the class path: the jar was built without it (build with `mvn package` on Linux"
                    + " with gcc and cmake), or the class path holds jivykis classes without the jar.");
        }
        if (copies.size() > 1) {
            List<String> where = new ArrayList<>();
            for (URL url : copies) {
                where.add(url.toString());
            }
            throw new UnsatisfiedLinkError("jivykis found " + copies.size() + " copies of its native library"
                    + " on the class path: " + where + ". Keep one jivykis jar on the class path"
                    + " (a second copy usually comes from a fat jar or a shaded dependency).");
        }
        return copies.get(0);
    }

    private static Path workDirectory() throws IOException {
        Path base = Paths.get(workDirectoryName());
        if (!Files.isDirectory(base)) {
            throw new IOException("no such directory: " + base);
        }
        return base;
    }

    private static String workDirectoryName() {
        return System.getProperty(WORKDIR_PROPERTY, System.getProperty("java.io.tmpdir"));
    }

    private static void loadExtracted(Path file, Path base) {
        try {
            System.load(file.toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
            String message = String.valueOf(e.getMessage());
            String advice;
            if (message.contains("failed to map segment") || message.contains("Operation not permitted")) {
                advice = "the directory " + base + " is probably on a file system mounted noexec."
                        + " Set -D" + WORKDIR_PROPERTY + "=<a directory on an exec-permitted file system>.";
            } else if (message.contains("another copy of its native library is already loaded")) {
                throw e; // refused by the library itself (native/src/single_copy.c); it says what to do
            } else if (message.contains("already loaded in another classloader")) {
                advice = "jivykis is loaded by two class loaders in this JVM; load it once,"
                        + " from a class loader both users share.";
            } else {
                advice = "the library does not fit this system (glibc older than the build machine's,"
                        + " or a damaged jar).";
            }
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("jivykis could not load its native library"
                    + " (extracted to " + file + "): " + message + ". Likely cause: " + advice);
            error.initCause(e);
            throw error;
        }
    }
}
