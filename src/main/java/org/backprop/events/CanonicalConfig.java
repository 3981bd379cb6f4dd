package org.backprop.events;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.backprop.model.RunConfig;

/**
 * The start event's configuration as canonical JSON: fixed field order, doubles in Java's shortest round-trip form.
 * Its UTF-8 bytes are what the start event's hash covers, so it must never change for an existing store.
 */
public final class CanonicalConfig {
    private CanonicalConfig() {
    }

    public static String json(RunStarted started) {
        RunConfig c = started.config();
        StringBuilder b = new StringBuilder(256);
        b.append("{\"runId\":").append(started.runId());
        b.append(",\"name\":").append(quote(c.name()));
        b.append(",\"layers\":").append(Arrays.toString(c.network().layers()).replace(" ", ""));
        b.append(",\"activations\":[").append(c.network().activations().stream().map(a -> quote(a.label())).collect(Collectors.joining(","))).append(']');
        b.append(",\"biased\":").append(c.network().biased());
        b.append(",\"trainBiases\":").append(c.network().trainBiases());
        b.append(",\"inputs\":").append(rows(c.data().inputs()));
        b.append(",\"targets\":").append(rows(c.data().targets()));
        b.append(",\"learningRate\":").append(c.learningRate());
        b.append(",\"epochs\":").append(c.epochs());
        b.append(",\"weightSeed\":").append(c.weightSeed());
        b.append(",\"parentRunId\":").append(started.lineage() == null ? null : started.lineage().parentRunId());
        b.append(",\"forkEpoch\":").append(started.lineage() == null ? null : started.lineage().forkEpoch());
        b.append(",\"sweepId\":").append(started.sweepId());
        b.append(",\"createdAt\":").append(quote(started.createdAt().toString()));
        return b.append('}').toString();
    }

    private static String rows(double[][] rows) {
        return Arrays.stream(rows).map(r -> Arrays.toString(r).replace(" ", "")).collect(Collectors.joining(",", "[", "]"));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
