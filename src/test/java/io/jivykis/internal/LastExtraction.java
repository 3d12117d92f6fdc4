package io.jivykis.internal;

/** What child programs, which live in another package, may read of the loader's last extraction. */
public final class LastExtraction {
    private LastExtraction() {}

    /** Loads the library and describes its extraction: "DIR FILE DIRMODE FILEMODE LEFT_BEHIND". */
    public static String describe() {
        Native.ensureLoaded();
        NativeLoader.Extraction e = NativeLoader.lastExtraction;
        return e.directory + " " + e.file + " " + e.directoryMode + " " + e.fileMode + " " + e.leftBehind;
    }
}
