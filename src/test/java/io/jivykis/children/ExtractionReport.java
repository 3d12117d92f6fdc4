package io.jivykis.children;

import io.jivykis.EventLoop;
import io.jivykis.testing.MappedLibrary;

/**
 * A child JVM's main for NativeLoaderTest: loads the native library and prints where it was
 * mapped from, as the kernel reports it: one line "extraction FILE DELETED", DELETED being
 * true when the file was removed after loading.
 */
public final class ExtractionReport {
    private ExtractionReport() {}

    /** Loads the library (by opening a loop) and prints the line. */
    public static void main(String[] args) {
        EventLoop.open().close();
        MappedLibrary library = MappedLibrary.find();
        System.out.println("extraction " + library.file + " " + library.deleted);
    }
}
