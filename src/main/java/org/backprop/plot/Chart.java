package org.backprop.plot;

import java.util.List;

/** What one chart file shows: title, axis labels, its lines, whether the y axis is logarithmic, and its size in pixels. */
public record Chart(String title, String xLabel, String yLabel, List<Series> series, boolean logScale, int width, int height) {
    public Chart {
        series = List.copyOf(series);
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a chart needs a positive size, not " + width + "x" + height);
        }
    }
}
