package io.jivykis.children;

import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM's main: two class loaders over the library's classes, each with its own copy
 * of jivykis. The first loads and handles a signal; the second must be refused with a clear
 * error; once the first loader is collected (and its library unloaded), a third loads and
 * handles a signal, and the JVM does not crash. Prints one line per step.
 */
public final class TwoLoadersProbe {
    private TwoLoadersProbe() {}

    public static void main(String[] args) throws Exception {
        URL[] classes = classDirectories();
        URLClassLoader first = new URLClassLoader("first", classes, ClassLoader.getPlatformClassLoader());
        System.out.println("first: " + use(first));
        URLClassLoader second = new URLClassLoader("second", classes, ClassLoader.getPlatformClassLoader());
        System.out.println("second: " + use(second));

        WeakReference<ClassLoader> collected = new WeakReference<>(first);
        first.close();
        first = null;
        for (int i = 0; i < 100 && collected.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        System.out.println("first collected: " + (collected.get() == null));
        // The JVM unloads a collected loader's libraries from a cleaner: give it a moment.
        String third = "";
        for (int i = 0; i < 50; i++) {
            URLClassLoader loader = new URLClassLoader("third-" + i, classes, ClassLoader.getPlatformClassLoader());
            third = use(loader);
            if (!third.contains("another copy")) {
                break;
            }
            System.gc();
            Thread.sleep(100);
        }
        System.out.println("third: " + third);
        System.out.println("alive");
    }

    /** Runs {@link CopyUser#handleOneSignal()} in {@code loader}: "calls=N" or the error. */
    private static String use(ClassLoader loader) {
        try {
            Object calls = Class.forName(CopyUser.class.getName(), true, loader)
                    .getMethod("handleOneSignal").invoke(null);
            return "calls=" + calls;
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            return t.getClass().getName() + ": " + t.getMessage();
        } catch (ReflectiveOperationException e) {
            return e.toString();
        }
    }

    /** The class path's directories (the library's classes and the test classes), not its jars. */
    private static URL[] classDirectories() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                urls.add(path.toUri().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }
}
