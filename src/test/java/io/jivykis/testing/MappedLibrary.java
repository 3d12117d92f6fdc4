package io.jivykis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The extracted JNI library as this process's {@code /proc/self/maps} shows it: the path it
 * was mapped from, and whether that file has been deleted since (the kernel appends
 * " (deleted)"). What the loader did, seen from outside it.
 */
public final class MappedLibrary {
    private static final String DELETED = " (deleted)";

    /** The file the library was mapped from. */
    public final Path file;
    /** Whether that file has been removed since. */
    public final boolean deleted;

    private MappedLibrary(Path file, boolean deleted) {
        this.file = file;
        this.deleted = deleted;
    }

    /** The mapping of the extracted library ({@code libjivykis-*.so}); fails if there is none. */
    public static MappedLibrary find() {
        List<String> maps;
        try {
            maps = Files.readAllLines(Paths.get("/proc/self/maps"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : maps) {
            // address perms offset dev inode pathname: the path is the sixth field, and may hold spaces.
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length == 6 && fields[5].contains("/libjivykis-")) {
                String path = fields[5];
                boolean deleted = path.endsWith(DELETED);
                return new MappedLibrary(Paths.get(deleted ? path.substring(0, path.length() - DELETED.length())
                        : path), deleted);
            }
        }
        throw new AssertionError("no libjivykis-*.so in /proc/self/maps: the library was not loaded"
                + " from an extracted copy");
    }
}
