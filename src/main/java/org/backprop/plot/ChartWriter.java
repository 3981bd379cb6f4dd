package org.backprop.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws a {@link Chart} with JFreeChart into a PNG file, without a display. */
public final class ChartWriter {
    static {
        // Charts are drawn off screen; without this, a machine with no display fails when AWT starts.
        System.setProperty("java.awt.headless", "true");
    }

    /** Matplotlib's "tab10" colours: distinct on white, none as faint as JFreeChart's yellow. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private ChartWriter() {
    }

    /** Solid for the first ten lines, then dashed patterns, so that each line differs from the others in colour or dash. */
    private static BasicStroke stroke(int round) {
        if (round == 0) {
            return new BasicStroke(2.0f);
        }
        float dash = 2.0f + 4.0f * round;
        return new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10.0f, new float[] {dash, 4.0f}, 0.0f);
    }

    /**
     * Writes the chart as a PNG of the chart's size. The file appears whole or not at all: it is drawn into a temporary
     * file beside it and moved into place. On a log scale, points at or below zero cannot be drawn and are left out.
     */
    public static void writePng(Chart chart, Path out) throws IOException {
        JFreeChart jfree = drawn(chart);
        Path absolute = out.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
        try {
            ChartUtils.saveChartAsPNG(temp.toFile(), jfree, chart.width(), chart.height());
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Ticks every 1, 2 or 5 (10, 20, ...) powers of ten. Between neighbouring powers, JFreeChart spaces minor ticks
     * evenly in value, so nine divisions put them at 2..9 times the power; a step of several powers gets none.
     */
    private static org.jfree.chart.axis.TickUnits powersOfTen() {
        org.jfree.chart.axis.TickUnits units = new org.jfree.chart.axis.TickUnits();
        java.text.DecimalFormat whole = new java.text.DecimalFormat("0");
        for (double size = 1; size <= 1e4; size *= 10) {
            for (double step : new double[] {1, 2, 5}) {
                units.add(new org.jfree.chart.axis.NumberTickUnit(size * step, whole, size * step == 1 ? 9 : 0));
            }
        }
        return units;
    }

    /** The chart as JFreeChart draws it. */
    static JFreeChart drawn(Chart chart) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : chart.series()) {
            XYSeries line = new XYSeries(s.label(), false, true);
            for (int i = 0; i < s.size(); i++) {
                if (!chart.logScale() || s.y(i) > 0) {
                    line.add(s.x(i), s.y(i), false);
                }
            }
            data.addSeries(line);
        }
        JFreeChart jfree = ChartFactory.createXYLineChart(chart.title(), chart.xLabel(), chart.yLabel(), data,
                PlotOrientation.VERTICAL, true, false, false);
        jfree.setBackgroundPaint(Color.WHITE);
        jfree.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        XYPlot plot = jfree.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        if (chart.logScale()) {
            LogAxis y = new LogAxis(chart.yLabel());
            y.setSmallestValue(Double.MIN_NORMAL);
            // Ticks at whole powers of ten, and minor ticks at 2..9 times each, so that a value can be read between them.
            y.setStandardTickUnits(powersOfTen());
            y.setMinorTickCount(0);
            y.setMinorTickMarksVisible(true);
            y.setMinorTickMarkOutsideLength(3.0f);
            plot.setRangeAxis(y);
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < chart.series().size(); i++) {
            renderer.setSeriesStroke(i, stroke(i / PALETTE.length));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        return jfree;
    }
}
