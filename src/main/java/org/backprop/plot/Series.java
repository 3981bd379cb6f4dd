package org.backprop.plot;

import java.util.Arrays;

/** One line of a chart: its legend label and its points (x ascending). */
public record Series(String label, double[] x, double[] y) {
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + label + "' has " + x.length + " x values but " + y.length + " y values");
        }
        x = x.clone();
        y = y.clone();
    }

    @Override public double[] x() { return x.clone(); }
    @Override public double[] y() { return y.clone(); }

    public int size() {
        return x.length;
    }

    public double x(int i) {
        return x[i];
    }

    public double y(int i) {
        return y[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && label.equals(s.label) && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
    }

    @Override
    public int hashCode() {
        return label.hashCode() * 31 + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "Series[" + label + ", " + x.length + " points]";
    }
}
