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

/**
 * Loads the JNI library, from the first of these places that applies:
 * <ol>
 *   <li>{@code -Djivykis.library.path=DIR}: {@code DIR/libjivykis.so}, loaded where it is (the
 *       user chose the file, so it is not copied);
 *   <li>the jar: {@code META-INF/native/<platform>/libjivykis.so} for this JVM's platform
 *       ({@link Platform#current()}), extracted as described below;
 *   <li>when the jar has no library for this platform (a distribution that strips it and
 *       installs it in, say, {@code /usr/lib/jni}): {@code libjivykis.so} on
 *       {@code java.library.path}, through {@link System#loadLibrary}.
 * </ol>
 *
 * <p>From the jar, the library is copied into a fresh private directory (mode 0700,
 * unpredictable name) as a private file (mode 0600), loaded, and both are deleted at once: no
 * fixed or world-readable path is ever used, so no other user can swap the file between copy
 * and load. Every failure is reported with where the loader looked, what happened and what to
 * set.
 *
 * <p>System property {@code jivykis.workdir} chooses the directory under which the private
 * directory is made (default: {@code java.io.tmpdir}); set it when the temporary directory
 * is mounted noexec.
 */
final class NativeLoader {
    static final String LIBRARY_NAME = "jivykis";
    static final String FILE_NAME = "lib" + LIBRARY_NAME + ".so";
    static final String WORKDIR_PROPERTY = "jivykis.workdir";
    /**
     * How the messages of the library's own refusals start (native/src/onload.c: a failed
     * binding; native/src/single_copy.c: a second copy in this JVM). They say what to do.
     */
    static final String OWN_REFUSAL = "jivykis: ";
    /** A directory holding the library to load instead of the jar's. */
    static final String LIBRARY_PATH_PROPERTY = "jivykis.library.path";

    private NativeLoader() {}

    /** Where the jar holds the library for {@code platform} ("linux-x86_64"). */
    static String resourceOf(String platform) {
        return "META-INF/native/" + platform + "/" + FILE_NAME;
    }

    /** Loads the library; returns null on success or the failure with its full account. */
    static Throwable load() {
        String resource = null;
        try {
            resource = resourceOf(Platform.current());
            String directory = System.getProperty(LIBRARY_PATH_PROPERTY);
            if (directory != null) {
                loadFile(Paths.get(directory, FILE_NAME).toAbsolutePath(),
                        "-D" + LIBRARY_PATH_PROPERTY + "=" + directory);
                return null;
            }
            URL inJar = findSingleCopy(resource);
            if (inJar != null) {
                extractAndLoad(inJar, resource);
                return null;
            }
            loadFromLibraryPath(resource);
            return null;
        } catch (IOException e) {
            return new IllegalStateException("jivykis could not extract its native library " + resource
                    + " into " + workDirectoryName() + ": " + e + ". Set -D" + WORKDIR_PROPERTY
                    + "=<a writable directory> to use another directory.", e);
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: UnsatisfiedLinkError, and what JNI_OnLoad throws when it cannot bind.
            return e;
        }
    }

    /** Loads {@code file} where it is; {@code origin} says who named it. */
    private static void loadFile(Path file, String origin) {
        if (!Files.isRegularFile(file)) {
            throw new UnsatisfiedLinkError("jivykis found no " + FILE_NAME + " at " + file + " (named by " + origin
                    + "): point the property at the directory that holds " + FILE_NAME + ", or drop it to use"
                    + " the library inside the jar");
        }
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
            throw explained("jivykis could not load " + file + " (named by " + origin + ")", e,
                    "the library does not fit this system (another architecture, or a glibc older than"
                    + " the build machine's).");
        }
    }

    /** The jar has no library for this platform: a distribution may have installed one. */
    private static void loadFromLibraryPath(String resource) {
        try {
            System.loadLibrary(LIBRARY_NAME);
        } catch (UnsatisfiedLinkError e) {
            throw explained("jivykis found no native library at " + resource + " on the class path, and none"
                    + " on java.library.path=" + System.getProperty("java.library.path"), e,
                    "the jar was built without this platform's library (build with `mvn package` on Linux"
                    + " with gcc and cmake), or the class path holds jivykis classes without the jar."
                    + " Set -D" + LIBRARY_PATH_PROPERTY + "=<directory of " + FILE_NAME + "> to name one.");
        }
    }

    private static void extractAndLoad(URL resource, String name) throws IOException {
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
            loadExtracted(file, base, name);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Finds the library in the jar (null if absent), refusing two copies: which one loads would be chance. */
    private static URL findSingleCopy(String resource) throws IOException {
        ClassLoader loader = NativeLoader.class.getClassLoader();
        List<URL> copies = loader == null
                ? Collections.list(ClassLoader.getSystemResources(resource))
                : Collections.list(loader.getResources(resource));
        if (copies.isEmpty()) {
            return null;
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

    private static void loadExtracted(Path file, Path base, String name) {
        try {
            System.load(file.toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
            String message = String.valueOf(e.getMessage());
            String advice;
            if (message.contains("failed to map segment") || message.contains("Operation not permitted")) {
                advice = "the directory " + base + " is probably on a file system mounted noexec."
                        + " Set -D" + WORKDIR_PROPERTY + "=<a directory on an exec-permitted file system>.";
            } else if (message.contains("already loaded in another classloader")) {
                advice = "jivykis is loaded by two class loaders in this JVM; load it once,"
                        + " from a class loader both users share.";
            } else {
                advice = "the library does not fit this system (glibc older than the build machine's,"
                        + " or a damaged jar).";
            }
            throw explained("jivykis could not load its native library " + name + " (extracted to " + file + ")",
                    e, advice);
        }
    }

    /**
     * A load failure with what was tried, the system's message and the likely cause; on a
     * musl C library (Alpine) the cause is that, whatever the system said: the libraries are
     * built for glibc.
     */
    private static UnsatisfiedLinkError explained(String what, UnsatisfiedLinkError e, String advice) {
        if (String.valueOf(e.getMessage()).startsWith(OWN_REFUSAL)) {
            // The file was found and loaded; JNI_OnLoad's own message says what did not fit
            // (a class it could not bind, another copy already loaded) and what to do.
            return e;
        }
        String musl = Platform.muslLoader();
        if (musl != null) {
            advice = "this JVM runs on the musl C library (" + musl + ", as on Alpine Linux), and jivykis's"
                    + " native library is built for glibc. Use a glibc-based image,"
                    + " or set -D" + LIBRARY_PATH_PROPERTY + "=<directory of a " + FILE_NAME
                    + " built on musl>.";
        }
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(what + ": " + e.getMessage() + ". Likely cause: "
                + advice);
        error.initCause(e);
        return error;
    }
}
