package io.jivykis.testing;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The test run's {@link System.LoggerFinder} (installed through META-INF/services): every
 * record logged to a System.Logger is kept here, for tests that check what the library
 * logs, and printed to standard error as the default logging would, so nothing is hidden.
 */
public final class CapturedLogs extends System.LoggerFinder {
    /** One logged record. */
    public static final class Entry {
        /** The logger's name ("io.jivykis"). */
        public final String logger;
        /** Its level. */
        public final System.Logger.Level level;
        /** The message, formatted. */
        public final String message;
        /** The throwable logged with it, or null. */
        public final Throwable thrown;

        Entry(String logger, System.Logger.Level level, String message, Throwable thrown) {
            this.logger = logger;
            this.level = level;
            this.message = message;
            this.thrown = thrown;
        }
    }

    private static final List<Entry> ENTRIES = new ArrayList<>();

    /** Every record logged so far to {@code logger} at {@code level} whose message contains {@code text}. */
    public static List<Entry> matching(String logger, System.Logger.Level level, String text) {
        List<Entry> found = new ArrayList<>();
        synchronized (ENTRIES) {
            for (Entry entry : ENTRIES) {
                if (entry.logger.equals(logger) && entry.level == level && entry.message.contains(text)) {
                    found.add(entry);
                }
            }
        }
        return found;
    }

    /** Forgets every record kept so far. */
    public static void clear() {
        synchronized (ENTRIES) {
            ENTRIES.clear();
        }
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Captured(name);
    }

    private static final class Captured implements System.Logger {
        private final String name;

        Captured(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                keep(level, msg, thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                keep(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params), null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> supplier, Throwable thrown) {
            if (isLoggable(level)) {
                keep(level, supplier.get(), thrown);
            }
        }

        private void keep(Level level, String message, Throwable thrown) {
            synchronized (ENTRIES) {
                ENTRIES.add(new Entry(name, level, String.valueOf(message), thrown));
            }
            System.err.println(level + " " + name + ": " + message);
            if (thrown != null) {
                thrown.printStackTrace();
            }
        }
    }
}
