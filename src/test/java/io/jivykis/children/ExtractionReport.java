package io.jivykis.children;

import io.jivykis.internal.LastExtraction;

/**
 * A child JVM's main for NativeLoaderTest: loads the native library and prints what the loader
 * did: one line "extraction DIR FILE DIRMODE FILEMODE LEFT_BEHIND".
 */
public final class ExtractionReport {
    private ExtractionReport() {}

    public static void main(String[] args) {
        System.out.println("extraction " + LastExtraction.describe());
    }
}
