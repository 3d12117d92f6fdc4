package io.jivykis.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a main class in a new JVM like this one: the same java
 * executable and class path, native access granted, and the same jivykis backend. For the
 * tests' child JVMs; the library itself never starts one.
 */
public final class JavaCommand {
    private JavaCommand() {}

    /**
     * {@code java [jvmOptions] -cp <this class path> --enable-native-access=ALL-UNNAMED
     * -Djivykis.backend=... mainClass args...}.
     */
    public static List<String> forMain(List<String> jvmOptions, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + "/bin/java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("--enable-native-access=ALL-UNNAMED");
        String backend = System.getProperty(EventDescriptor.BACKEND_PROPERTY);
        if (backend != null) {
            command.add("-D" + EventDescriptor.BACKEND_PROPERTY + "=" + backend);
        }
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }
}
