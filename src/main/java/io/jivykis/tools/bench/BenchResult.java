package io.jivykis.tools.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured case, printed as one line of {@code key=value} fields:
 * {@code name=<bench> impl=<impl> ops=<N> ns_per_op=<X> ops_per_sec=<Y>} and then any extras.
 */
final class BenchResult {
    private final String name;
    private final String impl;
    private final long ops;
    private final long elapsedNanos;
    private final Map<String, String> extras = new LinkedHashMap<>();

    BenchResult(String name, String impl, long ops, long elapsedNanos) {
        this.name = name;
        this.impl = impl;
        this.ops = ops;
        this.elapsedNanos = elapsedNanos;
    }

    /** Adds an extra field printed after the standard ones, in the order added. */
    BenchResult with(String key, long value) {
        extras.put(key, Long.toString(value));
        return this;
    }

    /** Adds an extra decimal field. */
    BenchResult with(String key, double value, int decimals) {
        extras.put(key, String.format(Locale.ROOT, "%." + decimals + "f", value));
        return this;
    }

    /** The result line. */
    String line() {
        double nsPerOp = ops == 0 ? 0 : (double) elapsedNanos / ops;
        double opsPerSec = elapsedNanos == 0 ? 0 : ops * 1e9 / elapsedNanos;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "name=%s impl=%s ops=%d ns_per_op=%.1f ops_per_sec=%.0f", name, impl, ops, nsPerOp, opsPerSec));
        extras.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        return line.toString();
    }

    /** The same measurement under another case name, without the extras. */
    BenchResult renamed(String newName) {
        return new BenchResult(newName, impl, ops, elapsedNanos);
    }
}
