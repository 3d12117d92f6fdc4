package io.jivykis.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bench run as an SVG bar chart: one panel per case, one horizontal bar per
 * implementation, its length the time of one operation relative to the slowest bar of that
 * panel (cases differ by four orders of magnitude, so each panel has its own scale), the
 * figure written at the bar's end, and the case's ratio lines under it. Plain SVG 1.1 with no
 * script or external reference, so any browser or a Markdown page shows it.
 */
final class BenchChart {
    private static final int WIDTH = 900;
    private static final int LABEL_WIDTH = 230;
    private static final int BAR_SPACE = 520;
    private static final int BAR_HEIGHT = 16;
    private static final int ROW = 22;
    private static final int LINE = 16;

    /** One case: its name, what one operation is, its bars and ratio lines, in run order. */
    private static final class Panel {
        final String name;
        final String operation;
        final List<String> labels = new ArrayList<>();
        final List<Double> nsPerOp = new ArrayList<>();
        final List<String> ratios = new ArrayList<>();

        Panel(String name, String operation) {
            this.name = name;
            this.operation = operation;
        }
    }

    private final List<Panel> panels = new ArrayList<>();

    /** Starts the panel of case {@code name}; the bars and ratios that follow belong to it. */
    void startCase(String name, String operation) {
        panels.add(new Panel(name, operation));
    }

    /** A bar of the current case. */
    void add(String label, double nsPerOp) {
        Panel panel = current();
        panel.labels.add(label);
        panel.nsPerOp.add(nsPerOp);
    }

    /** A ratio line of the current case, printed under its bars. */
    void addRatio(String ratio) {
        current().ratios.add(ratio);
    }

    private Panel current() {
        if (panels.isEmpty()) {
            throw new IllegalStateException("BenchChart: a bar before any case");
        }
        return panels.get(panels.size() - 1);
    }

    /** The chart as an SVG document. */
    String svg() {
        StringBuilder body = new StringBuilder();
        int y = 30;
        body.append(text(10, y, "jivykis bench: time of one operation (shorter is faster; each case on its own scale)",
                "title"));
        y += 14;
        for (Panel panel : panels) {
            y += 26;
            body.append(text(10, y, panel.name + ": one op = " + panel.operation, "case"));
            y += 8;
            double longest = panel.nsPerOp.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            for (int i = 0; i < panel.labels.size(); i++) {
                double ns = panel.nsPerOp.get(i);
                int length = (int) Math.max(1, Math.round(BAR_SPACE * ns / (longest > 0 ? longest : 1)));
                String style = panel.labels.get(i).startsWith("jivykis") ? "ours" : "peer";
                body.append(text(LABEL_WIDTH - 8, y + BAR_HEIGHT - 3, panel.labels.get(i), "label"));
                body.append(String.format(Locale.ROOT,
                        "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n",
                        style, LABEL_WIDTH, y, length, BAR_HEIGHT));
                body.append(text(LABEL_WIDTH + length + 6, y + BAR_HEIGHT - 3, figure(ns), "value"));
                y += ROW;
            }
            for (String ratio : panel.ratios) {
                y += LINE - 4;
                body.append(text(LABEL_WIDTH, y, ratio, "ratio"));
            }
        }
        y += 20;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + y
                + "\" viewBox=\"0 0 " + WIDTH + " " + y + "\">\n"
                + "<style>text{font-family:sans-serif;font-size:12px;fill:#222}"
                + ".title{font-size:15px;font-weight:bold}.case{font-size:13px;font-weight:bold}"
                + ".label{text-anchor:end}.ratio{font-size:11px;fill:#555}"
                + ".ours{fill:#2b6cb0}.peer{fill:#a0a0a0}</style>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                + body + "</svg>\n";
    }

    /** A time with a unit a reader takes in at a glance. */
    static String figure(double ns) {
        if (ns >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1_000_000);
        }
        if (ns >= 1_000) {
            return String.format(Locale.ROOT, "%.2f µs", ns / 1_000);
        }
        return String.format(Locale.ROOT, "%.1f ns", ns);
    }

    private static String text(int x, int y, String content, String style) {
        return String.format(Locale.ROOT, "<text class=\"%s\" x=\"%d\" y=\"%d\">%s</text>%n", style, x, y,
                escape(content));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
