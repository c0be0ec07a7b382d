package dev.freight.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.ImageIO;

/** Draws throughput against concurrency (median, min-max whiskers) as a PNG with plain Java2D, headless. */
final class ThroughputPlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private final String title;
    private final Map<String, TreeMap<Integer, Spread>> series = new LinkedHashMap<>();
    private final Map<String, Spread> levels = new LinkedHashMap<>();

    ThroughputPlot(String title) {
        this.title = title;
    }

    /** A line over concurrency levels. */
    void series(String name, TreeMap<Integer, Spread> byConcurrency) {
        series.put(name, byConcurrency);
    }

    /** A horizontal reference line (a run with no concurrency knob). */
    void level(String name, Spread value) {
        levels.put(name, value);
    }

    void write(Path png) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        int maxConcurrency = series.values().stream().flatMap(s -> s.keySet().stream()).max(Integer::compare).orElse(8);
        double maxY = 0;
        for (TreeMap<Integer, Spread> s : series.values()) {
            for (Spread v : s.values()) {
                maxY = Math.max(maxY, v.max());
            }
        }
        for (Spread v : levels.values()) {
            maxY = Math.max(maxY, v.max());
        }
        maxY = niceCeiling(maxY * 1.1);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // Axes, grid and ticks.
        for (int i = 0; i <= 5; i++) {
            double value = maxY * i / 5;
            int y = TOP + plotH - (int) Math.round(plotH * i / 5.0);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.0f", value), LEFT - 45, y + 4);
        }
        for (int c = 1; c <= maxConcurrency; c++) {
            int x = xOf(c, maxConcurrency, plotW);
            g.drawLine(x, TOP + plotH, x, TOP + plotH + 5);
            g.drawString(Integer.toString(c), x - 3, TOP + plotH + 20);
        }
        g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
        g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
        g.drawString("concurrent part uploads", LEFT + plotW / 2 - 70, HEIGHT - 15);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("MiB/s (median, min-max)", -(TOP + plotH / 2 + 70), 20);
        rotated.dispose();

        Color[] palette = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
                new Color(214, 39, 40), new Color(148, 103, 189)};
        int colour = 0;
        int legendY = TOP + 10;
        for (Map.Entry<String, TreeMap<Integer, Spread>> line : series.entrySet()) {
            Color c = palette[colour++ % palette.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2.5f));
            Integer previousX = null;
            Integer previousY = null;
            for (Map.Entry<Integer, Spread> point : line.getValue().entrySet()) {
                int x = xOf(point.getKey(), maxConcurrency, plotW);
                int y = yOf(point.getValue().median(), maxY, plotH);
                if (previousX != null) {
                    g.drawLine(previousX, previousY, x, y);
                }
                g.setStroke(new BasicStroke(1.5f));
                g.drawLine(x, yOf(point.getValue().min(), maxY, plotH), x, yOf(point.getValue().max(), maxY, plotH));
                g.fillOval(x - 4, y - 4, 8, 8);
                g.setStroke(new BasicStroke(2.5f));
                previousX = x;
                previousY = y;
            }
            legend(g, c, line.getKey(), legendY, false);
            legendY += 22;
        }
        for (Map.Entry<String, Spread> level : levels.entrySet()) {
            Color c = palette[colour++ % palette.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            int y = yOf(level.getValue().median(), maxY, plotH);
            g.drawLine(LEFT, y, LEFT + plotW, y);
            legend(g, c, level.getKey(), legendY, true);
            legendY += 22;
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void legend(Graphics2D g, Color c, String name, int y, boolean dashed) {
        int x = WIDTH - RIGHT + 15;
        g.setColor(c);
        g.setStroke(dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {5f, 4f}, 0f) : new BasicStroke(2.5f));
        g.drawLine(x, y, x + 24, y);
        g.setColor(Color.BLACK);
        g.drawString(name, x + 30, y + 4);
    }

    private static int xOf(int concurrency, int maxConcurrency, int plotW) {
        return LEFT + 20 + (int) Math.round((plotW - 40) * (concurrency - 1) / (double) Math.max(1, maxConcurrency - 1));
    }

    private static int yOf(double value, double maxY, int plotH) {
        return TOP + plotH - (int) Math.round(plotH * value / maxY);
    }

    private static double niceCeiling(double value) {
        double step = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1))));
        for (double m : List.of(1.0, 2.0, 2.5, 5.0, 10.0)) {
            if (m * step >= value) {
                return m * step;
            }
        }
        return 10 * step;
    }
}
