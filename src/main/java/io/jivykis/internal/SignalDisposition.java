package io.jivykis.internal;

/**
 * The codes {@link SignalNative#disposition(int)} reports, from the shim (signal_table.h)
 * rather than written a second time here. Not on {@code SignalNative} itself: JNI_OnLoad
 * initializes that class while binding it, before {@link Linux#named} can answer.
 */
public final class SignalDisposition {
    /** The default action (SIG_DFL). */
    public static final int DEFAULT = Linux.named("JIVYKIS_DISPOSITION_DEFAULT");
    /** Ignored (SIG_IGN). */
    public static final int IGNORE = Linux.named("JIVYKIS_DISPOSITION_IGNORE");
    /** The jivykis handler. */
    public static final int JIVYKIS = Linux.named("JIVYKIS_DISPOSITION_JIVYKIS");
    /** Some other handler (the JVM's, a library's). */
    public static final int OTHER = Linux.named("JIVYKIS_DISPOSITION_OTHER");

    private SignalDisposition() {}
}
