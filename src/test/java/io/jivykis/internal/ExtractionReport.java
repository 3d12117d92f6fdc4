package io.jivykis.internal;

/**
 * A child-JVM program that loads the native library and prints what the loader did: one line
 * "extraction DIR FILE DIRMODE FILEMODE LEFT_BEHIND".
 */
public final class ExtractionReport {
    private ExtractionReport() {}

    public static void main(String[] args) {
        Native.ensureLoaded();
        NativeLoader.Extraction e = NativeLoader.lastExtraction;
        System.out.println("extraction " + e.directory + " " + e.file + " " + e.directoryMode + " "
                + e.fileMode + " " + e.leftBehind);
    }
}
