package org.backprop.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The learning rates of a sweep as given: single rates, and ranges {@code FROM:TO:N} (N rates evenly spaced in decimal,
 * both ends included) and {@code FROM:TO:N:log} (evenly spaced on a log scale), comma-separated.
 */
final class LearningRates {
    /** More rates than this are a typo in N more likely than a sweep anyone means. */
    static final int MAX_RATES = 10_000;

    private LearningRates() {
    }

    static List<Double> parse(List<String> given) {
        List<Double> rates = new ArrayList<>();
        for (String item : given) {
            String s = item.strip();
            if (s.indexOf(':') < 0) {
                rates.add(number(s, item));
            } else {
                range(s, rates);
            }
            if (rates.size() > MAX_RATES) {
                throw new BadInputException("the sweep has more than " + MAX_RATES + " learning rates: give fewer");
            }
        }
        return List.copyOf(rates);
    }

    private static void range(String s, List<Double> rates) {
        String[] parts = s.split(":", -1);
        boolean log = parts.length == 4 && parts[3].equals("log");
        if (parts.length != 3 && !log) {
            throw new BadInputException("'" + s + "' is not a range of learning rates: give FROM:TO:N, such as 0.05:3.0:12, or"
                    + " FROM:TO:N:log, such as 0.001:1:7:log");
        }
        double from = number(parts[0], s);
        double to = number(parts[1], s);
        int n;
        try {
            n = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            throw new BadInputException("the range " + s + " has '" + parts[2] + "' where the number of rates goes: give a whole"
                    + " number of 2 or more, such as 0.05:3.0:12", e);
        }
        if (n < 2 || n > MAX_RATES) {
            throw new BadInputException("the range " + s + " asks for " + n + " rates: give from 2 to " + MAX_RATES);
        }
        if (log && (from <= 0 || to <= 0)) {
            throw new BadInputException("the log range " + s + " needs rates above 0 at both ends");
        }
        for (int i = 0; i < n; i++) {
            // The ends exactly as given; between them, a fraction of the way.
            double rate = i == 0 ? from : i == n - 1 ? to
                    : log ? Math.exp(Math.log(from) + i * (Math.log(to) - Math.log(from)) / (n - 1))
                    : evenlyBetween(from, to, i, n);
            rates.add(rate);
        }
    }

    /**
     * Rate {@code i} of {@code n} from {@code from} to {@code to}, counted in decimal: 0.05:0.2:4 is 0.05, 0.1, 0.15,
     * 0.2 as a person writes them, where adding doubles would make the third 0.15000000000000002.
     */
    private static double evenlyBetween(double from, double to, int i, int n) {
        if (!Double.isFinite(from) || !Double.isFinite(to)) {
            return from + i * (to - from) / (n - 1);
        }
        BigDecimal lo = BigDecimal.valueOf(from);
        BigDecimal step = BigDecimal.valueOf(to).subtract(lo).divide(BigDecimal.valueOf(n - 1L), MathContext.DECIMAL128);
        return lo.add(step.multiply(BigDecimal.valueOf(i)), MathContext.DECIMAL128).doubleValue();
    }

    private static double number(String s, String item) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new BadInputException("the learning rate '" + item + "' is not a number: give one such as 0.1, or a range such as"
                    + " 0.05:3.0:12", e);
        }
    }
}
