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
        // Only present for a run that stops once its loss is below a target, so every other run's text is as it was.
        if (c.untilLoss() != null) {
            b.append(UNTIL_LOSS_FIELD).append(c.untilLoss());
        }
        // Only present for a run recorded from a sheet, so every other run's text (and hash) is as it always was.
        if (started.source() != null) {
            b.append(SOURCE_FIELD).append(started.source().json());
        }
        // Only present for an imported run (after the source, which a run imported from a sheet run keeps).
        if (started.importedFrom() != null) {
            b.append(IMPORTED_FIELD).append(started.importedFrom().json());
        }
        return b.append('}').toString();
    }

    private static final String SOURCE_FIELD = ",\"source\":";
    private static final String UNTIL_LOSS_FIELD = ",\"untilLoss\":";

    /** The loss a run stops below, when its canonical configuration text names one; else null. */
    public static Double untilLoss(String canonicalJson) {
        // After createdAt, whose text is an ISO instant: the field's opening occurs nowhere else unescaped.
        int at = canonicalJson.indexOf(UNTIL_LOSS_FIELD);
        if (at < 0) {
            return null;
        }
        int from = at + UNTIL_LOSS_FIELD.length();
        int end = from;
        while (end < canonicalJson.length() && ",}".indexOf(canonicalJson.charAt(end)) < 0) {
            end++;
        }
        return Double.valueOf(canonicalJson.substring(from, end));
    }
    private static final String IMPORTED_FIELD = ",\"importedFrom\":";

    /** The import origin a canonical configuration text carries (its last field, when there), or null when it has none. */
    public static ImportOrigin importedFrom(String canonicalJson) {
        int at = canonicalJson.lastIndexOf(IMPORTED_FIELD + "{\"store\":");
        if (at < 0) {
            return null;
        }
        int i = at + IMPORTED_FIELD.length() + "{\"store\":".length();
        String store = null;
        if (canonicalJson.startsWith("null", i)) {
            i += "null".length();
        } else {
            StringBuilder value = new StringBuilder();
            i = unquote(canonicalJson, i, value);
            store = value.toString();
        }
        String runField = ",\"run\":";
        int runEnd = canonicalJson.indexOf(',', i + runField.length());
        long run = Long.parseLong(canonicalJson.substring(i + runField.length(), runEnd));
        StringBuilder sha = new StringBuilder();
        unquote(canonicalJson, runEnd + ",\"sha256\":".length(), sha);
        return new ImportOrigin(store, run, sha.toString());
    }

    /**
     * The sheet source a canonical configuration text carries, or null when it has none. The source is the text's
     * last field, and inside any string of it a quote is escaped, so its opening occurs nowhere else unescaped.
     */
    public static SheetSource source(String canonicalJson) {
        int at = canonicalJson.lastIndexOf(SOURCE_FIELD + "{\"recordedFrom\":\"sheet\"");
        if (at < 0) {
            return null;
        }
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        int i = at + SOURCE_FIELD.length() + 1;
        while (i < canonicalJson.length() && canonicalJson.charAt(i) == '"') {
            StringBuilder key = new StringBuilder();
            i = unquote(canonicalJson, i, key);
            StringBuilder value = new StringBuilder();
            i = unquote(canonicalJson, i + 1, value);
            fields.put(key.toString(), value.toString());
            if (i < canonicalJson.length() && canonicalJson.charAt(i) == ',') {
                i++;
            }
        }
        return new SheetSource(fields.get("file"), fields.get("sha256"), fields.get("sheet"), fields.get("table"));
    }

    /** Reads the string quoted from {@code start} (the opening quote) into {@code out}; returns the index after the closing quote. */
    private static int unquote(String s, int start, StringBuilder out) {
        if (s.charAt(start) != '"') {
            throw new IllegalArgumentException("a canonical source string starts with a quote at " + start + " of " + s);
        }
        int i = start + 1;
        while (s.charAt(i) != '"') {
            char ch = s.charAt(i);
            if (ch == '\\') {
                char next = s.charAt(i + 1);
                switch (next) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                        i += 4;
                    }
                    default -> out.append(next);
                }
                i += 2;
            } else {
                out.append(ch);
                i++;
            }
        }
        return i + 1;
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
