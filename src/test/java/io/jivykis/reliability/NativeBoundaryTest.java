package io.jivykis.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.internal.Native;
import io.jivykis.children.NativeBadInputProbe;
import io.jivykis.testing.ChildJvm;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at the JNI boundary: every native method is called with negative, closed, huge
 * and wrong-kind descriptors and out-of-range values, in a child JVM; the child must answer
 * each with an errno or an exception, never crash (no hs_err file).
 */
class NativeBoundaryTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyNativeAnswersBadInputWithAnErrorNeverACrash(@TempDir Path crashDir) throws Exception {
        ChildJvm.Result result = ChildJvm.of(NativeBadInputProbe.class).crashLogsIn(crashDir).run();
        assertTrue(result.crashLogs.isEmpty(), "the JVM crashed: " + result);
        assertEquals(0, result.exitCode, "a native answered bad input unexpectedly: " + result);
        assertTrue(result.output.contains("probe complete:"), result.toString());
        // Under -Xcheck:jni (the Java 25 CI pass) the JVM reports JNI misuse on the output.
        assertFalse(result.output.contains("WARNING in native method") || result.output.contains("FATAL ERROR in native method"),
                "JNI misuse reported by -Xcheck:jni: " + result);

        // Every native method of the internal package has probe entries: a native added later
        // without bad-input coverage fails here.
        String coveredLine = result.output.lines().filter(l -> l.startsWith("probe covered: "))
                .findFirst().orElseThrow(() -> new AssertionError(result.toString()));
        Set<String> covered = new TreeSet<>(List.of(coveredLine.substring("probe covered: ".length()).split(",")));
        Set<String> natives = nativeMethodsOfInternalPackage();
        natives.removeAll(covered);
        assertTrue(natives.isEmpty(), "natives without bad-input coverage in NativeBadInputCalls: " + natives);
    }

    /** The memory-writing natives must not be callable from outside the package. */
    @Test
    void nativesThatTakeAnAddressAreNotPublic() throws Exception {
        Method wait = Native.class.getDeclaredMethod("epollWait", int.class, long.class, int.class, int.class);
        assertFalse(Modifier.isPublic(wait.getModifiers()), "Native.epollWait must not be public");
        Method address = Native.class.getDeclaredMethod("bufferAddress", java.nio.ByteBuffer.class);
        assertFalse(Modifier.isPublic(address.getModifiers()), "Native.bufferAddress must not be public");
    }

    /** Names of the native methods declared by classes of io.jivykis.internal (from the build output). */
    static Set<String> nativeMethodsOfInternalPackage() throws Exception {
        Path classes = Paths.get(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/jivykis/internal");
        Set<String> names = new TreeSet<>();
        List<String> classNames;
        try (Stream<Path> files = Files.list(classes)) {
            classNames = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                    .map(n -> "io.jivykis.internal." + n.substring(0, n.length() - ".class".length()))
                    .collect(Collectors.toList());
        }
        for (String name : classNames) {
            // Load without initialising: a class's static initialiser may load the library.
            Class<?> cls = Class.forName(name, false, Native.class.getClassLoader());
            for (Method m : cls.getDeclaredMethods()) {
                if (Modifier.isNative(m.getModifiers())) {
                    names.add(m.getName());
                }
            }
        }
        assertFalse(names.isEmpty(), "found no native methods under " + classes);
        return names;
    }
}
