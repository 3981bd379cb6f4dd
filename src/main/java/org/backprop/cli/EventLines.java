package org.backprop.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.ImportOrigin;
import org.backprop.events.Lineage;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.events.SheetSource;
import org.backprop.model.Activation;
import org.backprop.model.BackpropException;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * A run's events as JSON Lines, the form {@code export --format jsonl} writes and {@code import} reads: one object per
 * event, in order, each with the chain hash its store recorded for it (hex). Doubles are written in Java's shortest
 * round-trip form, so they read back bit for bit; the start event carries its canonical configuration as stored.
 */
final class EventLines {
    private static final HexFormat HEX = HexFormat.of();
    /** What every complaint about a file ends with. */
    static final String FIX = ": give a file written by 'backprop export RUN --format jsonl'";

    private EventLines() {
    }

    /** Writes events, one line each. */
    static final class Writer implements AutoCloseable {
        private final JsonGenerator g;

        Writer(java.io.Writer out) {
            try {
                g = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.setPrettyPrinter(new MinimalPrettyPrinter(""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The start event, its canonical configuration text exactly as stored, its stored hash, and the store it is from. */
        void start(RunStarted started, String canonicalConfig, byte[] hash, String storeId) {
            line(() -> {
                head("RunStarted", started.runId());
                g.writeStringField("store", storeId);
                g.writeFieldName("config");
                g.writeRawValue(canonicalConfig);
                doubles("initialWeights", started.config().initial().weights());
                doubles("initialBiases", started.config().initial().biases());
            }, hash);
        }

        void epoch(EpochRecorded e, byte[] hash) {
            line(() -> {
                head("EpochRecorded", e.runId());
                g.writeNumberField("epoch", e.epoch());
                doubles("weights", e.before().weights());
                doubles("biases", e.before().biases());
                doubles("netInputs", e.netInputs());
                doubles("activations", e.activations());
                doubles("deltas", e.deltas());
                doubles("weightGradients", e.weightGradients());
                doubles("biasGradients", e.biasGradients());
                g.writeFieldName("loss");
                g.writeNumber(e.loss());
            }, hash);
        }

        void end(RunEvent end, byte[] hash) {
            line(() -> {
                switch (end) {
                    case RunCompleted done -> {
                        head("RunCompleted", done.runId());
                        g.writeNumberField("epochs", done.epochs());
                        doubles("finalWeights", done.finalParameters().weights());
                        doubles("finalBiases", done.finalParameters().biases());
                        g.writeStringField("endedAt", done.endedAt().toString());
                    }
                    case RunFailed failed -> {
                        head("RunFailed", failed.runId());
                        g.writeNumberField("epoch", failed.epoch());
                        g.writeStringField("reason", failed.reason());
                        g.writeStringField("endedAt", failed.endedAt().toString());
                    }
                    default -> throw new IllegalArgumentException("a run ends completed or failed, not " + end);
                }
            }, hash);
        }

        private interface Body {
            void write() throws IOException;
        }

        private void line(Body body, byte[] hash) {
            try {
                g.writeStartObject();
                body.write();
                g.writeStringField("hash", HEX.formatHex(hash));
                g.writeEndObject();
                g.writeRaw('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void head(String event, long runId) throws IOException {
            g.writeStringField("event", event);
            g.writeNumberField("runId", runId);
        }

        private void doubles(String field, double[] values) throws IOException {
            g.writeFieldName(field);
            g.writeArray(values, 0, values.length);
        }

        @Override
        public void close() {
            try {
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One event read back, with the hash it came with and the line it was on. */
    record Line(int number, RunEvent event, byte[] hash) {
    }

    /** Reads events line by line; every mistake is reported as bad input naming the file and the line. */
    static final class Reader {
        private final Path file;
        private final BufferedReader in;
        private final ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        private int number;
        private RunConfig config;
        private String store;

        Reader(Path file, BufferedReader in) {
            this.file = file;
            this.in = in;
        }

        /** The next event, or null at the end of the file. */
        Line next() {
            String text;
            try {
                do {
                    number++;
                    text = in.readLine();
                } while (text != null && text.isBlank());
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new BadInputException(file + " is not UTF-8 text" + FIX, e);
            } catch (IOException e) {
                throw new BadInputException(file + " cannot be read at line " + number + ": " + e.getMessage(), e);
            }
            if (text == null) {
                return null;
            }
            JsonNode node;
            try {
                node = mapper.readTree(text);
            } catch (JsonParseException e) {
                throw bad("is not valid JSON (column " + e.getLocation().getColumnNr() + ": " + oneLine(e.getOriginalMessage()) + ")", e);
            } catch (IOException e) {
                throw bad("is not valid JSON (" + oneLine(e.getMessage()) + ")", e);
            }
            if (!(node instanceof ObjectNode o)) {
                throw bad("is not a JSON object", null);
            }
            try {
                return new Line(number, event(o), hash(o));
            } catch (BadInputException e) {
                throw e;
            } catch (BackpropException | IllegalArgumentException e) {
                throw bad("does not hold a valid event: " + e.getMessage(), e);
            }
        }

        /** A problem with the line just read, as one line of bad input. */
        BadInputException bad(String problem, Throwable cause) {
            return new BadInputException(file + " line " + number + " " + problem + FIX, cause);
        }

        private RunEvent event(ObjectNode o) {
            String event = text(o, "event");
            if (config == null && !event.equals("RunStarted")) {
                throw bad("is a " + event + " event, but a run's export starts with its RunStarted event", null);
            }
            long runId = integer(o, "runId");
            return switch (event) {
                case "RunStarted" -> {
                    if (config != null) {
                        throw bad("starts a second run: a file holds one run", null);
                    }
                    RunStarted started = started(o, runId);
                    config = started.config();
                    yield started;
                }
                case "EpochRecorded" -> {
                    Network n = config.network();
                    int perSample = config.data().sampleCount() * n.neuronCount();
                    Parameters before = new Parameters(doubles(o, "weights", n.weightCount()), doubles(o, "biases", n.biasCount()));
                    yield new EpochRecorded(runId, smallInteger(o, "epoch"), before, doubles(o, "netInputs", perSample),
                            doubles(o, "activations", perSample), doubles(o, "deltas", perSample),
                            doubles(o, "weightGradients", n.weightCount()), doubles(o, "biasGradients", n.biasCount()), number(o.get("loss"), "loss"));
                }
                case "RunCompleted" -> new RunCompleted(runId, smallInteger(o, "epochs"),
                        new Parameters(doubles(o, "finalWeights", config.network().weightCount()),
                                doubles(o, "finalBiases", config.network().biasCount())), instant(o, "endedAt"));
                case "RunFailed" -> new RunFailed(runId, smallInteger(o, "epoch"), text(o, "reason"), instant(o, "endedAt"));
                default -> throw bad("has the unknown event \"" + event + "\" (the events are RunStarted, EpochRecorded, RunCompleted, RunFailed)", null);
            };
        }

        private RunStarted started(ObjectNode o, long runId) {
            JsonNode c = o.get("config");
            if (!(c instanceof ObjectNode config)) {
                throw bad("has no \"config\" object", null);
            }
            if (integer(config, "runId") != runId) {
                throw bad("names run " + runId + " but its configuration names run " + integer(config, "runId"), null);
            }
            List<Activation> activations = new ArrayList<>();
            for (JsonNode a : array(config, "activations")) {
                if (!a.isTextual()) {
                    throw bad("has an activation that is not a name: " + a, null);
                }
                activations.add(Activation.parse(a.asText()));
            }
            JsonNode layerArray = array(config, "layers");
            int[] layers = new int[layerArray.size()];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = smallIntegerValue(layerArray.get(i), "layers");
            }
            Network network = new Network(layers, activations, bool(config, "biased"), bool(config, "trainBiases"));
            Dataset data = new Dataset(matrix(config, "inputs"), matrix(config, "targets"));
            Parameters initial = new Parameters(doubles(o, "initialWeights", network.weightCount()), doubles(o, "initialBiases", network.biasCount()));
            Long parent = optionalInteger(config, "parentRunId");
            Long forkEpoch = optionalInteger(config, "forkEpoch");
            RunConfig runConfig = new RunConfig(text(config, "name"), network, data, initial, optionalInteger(config, "weightSeed"),
                    number(config.get("learningRate"), "learningRate"), smallInteger(config, "epochs"),
                    config.hasNonNull("untilLoss") ? number(config.get("untilLoss"), "untilLoss") : null);
            Lineage lineage = parent == null ? null : new Lineage(parent, forkEpoch == null ? 0 : forkEpoch.intValue());
            store = o.has("store") && o.get("store").isTextual() ? o.get("store").asText() : null;
            return new RunStarted(runId, runConfig, lineage, optionalInteger(config, "sweepId"), instant(config, "createdAt"), source(config),
                    importedFrom(config));
        }

        /** The id of the store the file was exported from, once its start line is read (null in older files). */
        String store() {
            return store;
        }

        /** Where an imported run came from, when its configuration says. */
        private ImportOrigin importedFrom(ObjectNode config) {
            JsonNode s = config.get("importedFrom");
            if (s == null || s.isNull()) {
                return null;
            }
            if (!(s instanceof ObjectNode origin)) {
                throw bad("has an \"importedFrom\" that is not an object", null);
            }
            JsonNode store = origin.get("store");
            return new ImportOrigin(store == null || store.isNull() ? null : text(origin, "store"), integer(origin, "run"), text(origin, "sha256"));
        }

        /** The sheet a run was recorded from, when its configuration names one. */
        private SheetSource source(ObjectNode config) {
            JsonNode s = config.get("source");
            if (s == null || s.isNull()) {
                return null;
            }
            if (!(s instanceof ObjectNode source) || !"sheet".equals(text(source, "recordedFrom"))) {
                throw bad("has a \"source\" that is not a sheet source", null);
            }
            return new SheetSource(text(source, "file"), text(source, "sha256"), text(source, "sheet"), text(source, "table"));
        }

        private byte[] hash(ObjectNode o) {
            String hex = text(o, "hash");
            try {
                byte[] hash = HEX.parseHex(hex);
                if (hash.length == 32) {
                    return hash;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw bad("has a \"hash\" that is not 64 hex digits", null);
        }

        private JsonNode field(JsonNode o, String field) {
            JsonNode n = o.get(field);
            if (n == null) {
                throw bad("has no \"" + field + "\" field", null);
            }
            return n;
        }

        private String text(JsonNode o, String field) {
            JsonNode n = field(o, field);
            if (!n.isTextual()) {
                throw bad("has a \"" + field + "\" that is not a string", null);
            }
            return n.asText();
        }

        private boolean bool(JsonNode o, String field) {
            JsonNode n = field(o, field);
            if (!n.isBoolean()) {
                throw bad("has a \"" + field + "\" that is not true or false", null);
            }
            return n.asBoolean();
        }

        private long integer(JsonNode o, String field) {
            return wholeNumber(field(o, field), field);
        }

        private int smallInteger(JsonNode o, String field) {
            return smallIntegerValue(field(o, field), field);
        }

        private int smallIntegerValue(JsonNode n, String field) {
            long v = wholeNumber(n, field);
            if (v != (int) v) {
                throw bad("has a \"" + field + "\" too large for a count: " + v, null);
            }
            return (int) v;
        }

        private long wholeNumber(JsonNode n, String field) {
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                throw bad("has a \"" + field + "\" that is not a whole number: " + n, null);
            }
            return n.asLong();
        }

        private Long optionalInteger(JsonNode o, String field) {
            JsonNode n = o.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            return wholeNumber(n, field);
        }

        private Instant instant(JsonNode o, String field) {
            String s = text(o, field);
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw bad("has a \"" + field + "\" that is not an instant such as 2026-01-31T12:00:00Z: " + s, e);
            }
        }

        private JsonNode array(JsonNode o, String field) {
            JsonNode n = field(o, field);
            if (!n.isArray()) {
                throw bad("has a \"" + field + "\" that is not an array", null);
            }
            return n;
        }

        /** A number, or the strings JSON writers use for the values JSON has no number for. */
        private double number(JsonNode n, String field) {
            if (n != null && n.isNumber()) {
                return n.doubleValue();
            }
            if (n != null && n.isTextual()) {
                switch (n.asText()) {
                    case "NaN" -> { return Double.NaN; }
                    case "Infinity" -> { return Double.POSITIVE_INFINITY; }
                    case "-Infinity" -> { return Double.NEGATIVE_INFINITY; }
                    default -> { }
                }
            }
            throw bad("has a \"" + field + "\" that is not a number" + (n == null ? " (it is missing)" : ": " + n), null);
        }

        private double[] doubles(JsonNode o, String field, int expected) {
            JsonNode n = array(o, field);
            if (n.size() != expected) {
                throw bad("has " + n.size() + " values in \"" + field + "\", but the run's network needs " + expected, null);
            }
            return doubles(n, field);
        }

        private double[] doubles(JsonNode n, String field) {
            double[] out = new double[n.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = number(n.get(i), field);
            }
            return out;
        }

        private double[][] matrix(JsonNode o, String field) {
            JsonNode n = array(o, field);
            double[][] out = new double[n.size()][];
            for (int i = 0; i < out.length; i++) {
                if (!n.get(i).isArray()) {
                    throw bad("has a \"" + field + "\" that is not an array of arrays", null);
                }
                out[i] = doubles(n.get(i), field);
            }
            return out;
        }

        private static String oneLine(String s) {
            return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        }
    }
}
