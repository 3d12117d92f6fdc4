package io.jivykis.children;

import io.jivykis.EventLoop;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * A child JVM's main for the loader tests: opens a loop (which loads the native library) and
 * prints "loaded from &lt;the file the kernel mapped libjivykis from&gt;" or
 * "failure: &lt;class&gt;: &lt;message&gt;".
 */
public final class LoaderProbe {
    private LoaderProbe() {}

    public static void main(String[] args) throws Exception {
        try {
            EventLoop.open().close();
            // The process's own mappings name the file actually loaded, whatever the loader says.
            String from = Files.readAllLines(Paths.get("/proc/self/maps")).stream()
                    .filter(l -> l.contains("libjivykis")).map(l -> l.substring(l.indexOf('/')))
                    .findFirst().orElse("(no libjivykis mapping)");
            System.out.println("loaded from " + from);
        } catch (Throwable t) {
            System.out.println("failure: " + t.getClass().getName() + ": " + t.getMessage());
        }
    }
}
