/**
 * jivykis: the ivykis event-notification model for Java.
 *
 * <p>Only {@code io.jivykis} is exported; {@code io.jivykis.internal} holds the JNI binding
 * and the loop engine. The module loads a JNI library, so a modular application grants it
 * native access with {@code --enable-native-access=io.jivykis}.
 */
module io.jivykis {
    exports io.jivykis;
    // Only the bench command reads per-thread allocation counters; the library needs nothing.
    requires static jdk.management;
    // The loop's JFR events; the library works without it (see io.jivykis.internal.Flight).
    requires static jdk.jfr;
}
