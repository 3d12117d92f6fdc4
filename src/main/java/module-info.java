/**
 * jivykis: the ivykis event-notification model for Java.
 *
 * <p>Only {@code io.jivykis} is exported; {@code io.jivykis.internal} holds the JNI binding
 * and the loop engine, {@code io.jivykis.tools} the executable jar's commands (tour, post,
 * bench), which use the exported API only and add no requirement to the module. The module
 * loads a JNI library, so a modular application grants it native access with
 * {@code --enable-native-access=io.jivykis}.
 */
module io.jivykis {
    exports io.jivykis;
    // The loop's JFR events; the library works without it (see io.jivykis.internal.Flight).
    requires static jdk.jfr;
}
