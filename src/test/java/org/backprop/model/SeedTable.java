package org.backprop.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The seed tutorial's published results table, read from the test resources. */
public record SeedTable(List<Row> rows) {

    /** One column of the published table: a learning rate and what its 100 epochs ended with. */
    public record Row(double learningRate, double[] finalWeights, double finalError, double[] finalOutputs) {
    }

    public static SeedTable load() {
        List<Row> rows = new ArrayList<>();
        try (var in = SeedTable.class.getResourceAsStream("/seed-results-table.tsv");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                double[] v = Arrays.stream(line.split("\t")).mapToDouble(Double::parseDouble).toArray();
                rows.add(new Row(v[0], Arrays.copyOfRange(v, 1, 9), v[9], Arrays.copyOfRange(v, 10, 12)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SeedTable(List.copyOf(rows));
    }

    /** Asserts {@code actual} is within {@code relative} of {@code expected}, relative to its size. */
    public static void assertClose(double expected, double actual, double relative, String what) {
        double tolerance = relative * Math.max(Math.abs(expected), Double.MIN_NORMAL);
        if (!(Math.abs(expected - actual) <= tolerance)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + " (relative error "
                    + Math.abs(expected - actual) / Math.abs(expected) + ")");
        }
    }
}
