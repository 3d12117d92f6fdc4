package io.jivykis.internal;

/**
 * A child-JVM program that loads the native library and prints where it was mapped from, as
 * the kernel reports it: one line "extraction FILE DELETED", DELETED being true when the file
 * was removed after loading.
 */
public final class ExtractionReport {
    private ExtractionReport() {}

    /** Loads the library and prints the line. */
    public static void main(String[] args) {
        Native.ensureLoaded();
        MappedLibrary library = MappedLibrary.find();
        System.out.println("extraction " + library.file + " " + library.deleted);
    }
}
