package org.backprop.web;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.model.Activation;
import org.backprop.model.Network;
import org.backprop.model.RunConfig;
import org.backprop.plot.Chart;
import org.backprop.plot.RunCharts;
import org.backprop.plot.Series;
import org.backprop.replay.EpochSheet;
import org.backprop.replay.Replay;
import org.backprop.replay.ValueNames;
import org.backprop.events.RunHistory;

/** The run page's data: the run, one epoch's exact values, its loss curve at any range, and its weights' trajectories. */
final class RunApi {
    /** Beyond this many weights the page draws per-layer heatmaps instead of one edge per weight. */
    static final int DIAGRAM_EDGES = 2000;
    /** Beyond this many weights and biases (or with heatmaps) an epoch's table is sent a page at a time. */
    static final int WHOLE_TABLE = 4096;
    /** More lines than this make a trajectories chart nobody can read (the PNG plots' limit too). */
    static final int MAX_TRAJECTORIES = 64;
    static final int MAX_POINTS = 20_000;

    private final EventStore events;
    private final LiveRuns live;
    private final LossCurves losses;
    private final Map<Long, Trajectories> trajectories = new ConcurrentHashMap<>();

    private record Trajectories(int epochs, int points, byte[] json) {
    }

    RunApi(EventStore events, LiveRuns live, LossCurves losses) {
        this.events = events;
        this.live = live;
        this.losses = losses;
    }

    /** Where run {@code runId}'s own epoch 0 stands in its history: the sum of the fork epochs of its lineage. */
    static int historyStart(EventStore events, long runId) {
        int start = 0;
        for (RunHistory.Segment s : RunHistory.segments(events, runId)) {
            if (s.runId() == runId) {
                return s.historyStart();
            }
            start = s.historyStart() + s.length();
        }
        return start;
    }

    void run(Request r, long id) throws IOException {
        RunStarted started = events.started(id);
        RunConfig c = started.config();
        Network n = c.network();
        RunRow row = live.row(id);
        int recorded = events.epochCount(id);
        String status = row != null ? row.summary().status() : status(events.ended(id).orElse(null));
        int historyStart = historyStart(events, id);
        Reply.json(r.exchange(), 200, g -> {
            g.writeStartObject();
            g.writeNumberField("id", id);
            g.writeStringField("name", c.name());
            g.writeStringField("network", n.shape());
            g.writeArrayFieldStart("layers");
            for (int l = 0; l < n.layerCount(); l++) {
                g.writeNumber(n.size(l));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("activations");
            for (Activation a : n.activations()) {
                g.writeString(a.label());
            }
            g.writeEndArray();
            g.writeBooleanField("biased", n.biased());
            g.writeBooleanField("trainBiases", n.trainBiases());
            Values.field(g, "learningRate", c.learningRate());
            g.writeNumberField("epochs", c.epochs());
            g.writeNumberField("epochsRecorded", recorded);
            g.writeStringField("status", status);
            g.writeStringField("reason", row != null ? row.summary().reason() : null);
            g.writeStringField("createdAt", started.createdAt().toString());
            Values.nullableNumber(g, "parent", started.lineage() == null ? null : started.lineage().parentRunId());
            Values.nullableNumber(g, "forkEpoch", started.lineage() == null ? null : started.lineage().forkEpoch());
            Values.nullableNumber(g, "sweep", started.sweepId());
            Values.nullableNumber(g, "weightSeed", c.weightSeed());
            g.writeNumberField("historyStart", historyStart);
            g.writeNumberField("samples", c.data().sampleCount());
            g.writeBooleanField("seedShaped", new ValueNames(c).seedShaped());
            g.writeNumberField("weightCount", n.weightCount());
            g.writeNumberField("biasCount", n.biasCount());
            g.writeStringField("diagram", n.weightCount() > DIAGRAM_EDGES ? "heatmap" : "graph");
            g.writeNumberField("trajectories", Math.min(n.weightCount() + n.biasCount(), MAX_TRAJECTORIES + 1));
            g.writeEndObject();
        });
    }

    static String status(RunEvent end) {
        return switch (end) {
            case null -> "running";
            case RunFailed f -> "failed";
            default -> "completed";
        };
    }

    /** One epoch's exact values, for one sample: neurons, outputs, every weight's and bias's update. */
    void epoch(Request r, long id, int epoch) throws IOException {
        Replay replay = new Replay(events, id);
        RunStarted started = replay.started();
        RunConfig c = started.config();
        Network n = c.network();
        int samples = c.data().sampleCount();
        int sample = r.intParam("sample", 1, samples, 1) - 1;
        EpochRecorded e = replay.epoch(epoch);
        EpochSheet sheet = new EpochSheet(started, false);
        ValueNames names = new ValueNames(c);
        int parameters = n.weightCount() + n.biasCount();
        // A diagram of every edge needs every row; heatmaps have the values they colour by, and the table comes a page at a time.
        boolean whole = parameters <= WHOLE_TABLE && n.weightCount() <= DIAGRAM_EDGES;
        int offset = whole ? 0 : r.intParam("offset", 0, Math.max(0, parameters - 1), 0);
        int limit = whole ? parameters : r.intParam("limit", 1, WHOLE_TABLE, 200);
        String overlay = overlay(r);
        Reply.json(r.exchange(), 200, g -> {
            g.writeStartObject();
            g.writeNumberField("run", id);
            g.writeNumberField("epoch", epoch);
            g.writeNumberField("epochs", replay.epochCount());
            g.writeNumberField("sample", sample + 1);
            g.writeNumberField("samples", samples);
            Values.field(g, "loss", e.loss());
            if (sheet.seedShaped()) {
                g.writeObjectFieldStart("sheet");
                g.writeArrayFieldStart("columns");
                for (String col : sheet.columns()) {
                    g.writeString(col);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("values");
                for (Object v : sheet.row(e)) {
                    g.writeString(org.backprop.table.Cells.text(v));
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            neurons(g, c, e, sample, names);
            outputs(g, c, e, sheet, sample);
            EpochSheet.Update[] updates = sheet.updates(e);
            g.writeObjectFieldStart("parameters");
            g.writeNumberField("total", parameters);
            g.writeNumberField("offset", offset);
            g.writeArrayFieldStart("rows");
            for (int k = offset; k < Math.min(parameters, offset + limit); k++) {
                EpochSheet.Update u = updates[k];
                Network.WeightPosition p = k < n.weightCount() ? n.weightPosition(k) : n.biasPosition(k - n.weightCount());
                g.writeStartObject();
                g.writeNumberField("k", k);
                g.writeStringField("name", u.name());
                g.writeNumberField("layer", p.layer());
                g.writeNumberField("from", p.fromNeuron());
                g.writeNumberField("to", p.toNeuron());
                Values.field(g, "before", u.before());
                Values.field(g, "gradient", u.gradient());
                Values.field(g, "delta", u.delta());
                Values.field(g, "after", u.after());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            if (n.weightCount() > DIAGRAM_EDGES) {
                heat(g, n, updates, overlay);
            }
            g.writeEndObject();
        });
    }

    private static String overlay(Request r) {
        String o = r.param("overlay");
        if (o == null || o.isEmpty()) {
            return "weight";
        }
        if (!o.equals("weight") && !o.equals("gradient") && !o.equals("update")) {
            throw new BadRequestException(400, "overlay is weight, gradient or update, not '" + o + "'");
        }
        return o;
    }

    private static void neurons(JsonGenerator g, RunConfig c, EpochRecorded e, int sample, ValueNames names) throws IOException {
        Network n = c.network();
        boolean seed = names.seedShaped();
        g.writeArrayFieldStart("neurons");
        for (int i = 0; i < n.inputs(); i++) {
            g.writeStartObject();
            g.writeNumberField("layer", 0);
            g.writeNumberField("neuron", i + 1);
            g.writeStringField("name", seed ? "i" + (i + 1) : null);
            g.writeNullField("netInput");
            Values.field(g, "activation", c.data().input(sample, i));
            g.writeNullField("delta");
            g.writeEndObject();
        }
        for (int k = 0; k < n.neuronCount(); k++) {
            Network.WeightPosition p = n.biasPosition(k);
            g.writeStartObject();
            g.writeNumberField("layer", p.layer());
            g.writeNumberField("neuron", p.toNeuron());
            g.writeStringField("name", seed ? names.seedNeuron(k) : null);
            Values.field(g, "netInput", e.netInput(n, sample, k));
            Values.field(g, "activation", e.activation(n, sample, k));
            Values.field(g, "delta", e.delta(n, sample, k));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void outputs(JsonGenerator g, RunConfig c, EpochRecorded e, EpochSheet sheet, int sample) throws IOException {
        Network n = c.network();
        int first = n.neuronOffset(n.layerCount() - 1);
        g.writeArrayFieldStart("outputs");
        for (int o = 0; o < n.outputs(); o++) {
            g.writeStartObject();
            g.writeNumberField("output", o + 1);
            Values.field(g, "target", c.data().target(sample, o));
            Values.field(g, "actual", e.activation(n, sample, first + o));
            Values.field(g, "error", sheet.outputError(e, sample, o));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * Every weight of each layer as a heatmap (target neurons by source neurons), for colouring only: 32-bit floats,
     * little-endian, base64; the exact values are in the table.
     */
    private static void heat(JsonGenerator g, Network n, EpochSheet.Update[] updates, String overlay) throws IOException {
        g.writeObjectFieldStart("heat");
        g.writeStringField("overlay", overlay);
        g.writeArrayFieldStart("layers");
        for (int l = 1; l < n.layerCount(); l++) {
            int rows = n.size(l);
            int cols = n.size(l - 1);
            int first = n.weightOffset(l);
            ByteBuffer values = ByteBuffer.allocate(rows * cols * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            double largest = 0;
            for (int k = first; k < first + rows * cols; k++) {
                double v = overlay(updates[k], overlay);
                largest = Math.max(largest, Math.abs(v));
                values.putFloat((float) v);
            }
            g.writeStartObject();
            g.writeNumberField("layer", l);
            g.writeNumberField("rows", rows);
            g.writeNumberField("cols", cols);
            g.writeNumberField("firstWeight", first);
            Values.field(g, "largest", largest);
            g.writeStringField("values", Base64.getEncoder().encodeToString(values.array()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static double overlay(EpochSheet.Update u, String overlay) {
        return switch (overlay) {
            case "gradient" -> u.gradient();
            case "update" -> u.delta();
            default -> u.before();
        };
    }

    /** The loss of epochs {@code from..to}, thinned to about {@code points} points; {@code history=1} numbers them along the history. */
    void curve(Request r, long id) throws IOException {
        events.started(id);
        int points = r.intParam("points", 2, MAX_POINTS, 2000);
        int from = r.intParam("from", 0, Integer.MAX_VALUE, 0);
        int to = r.intParam("to", 0, Integer.MAX_VALUE, Integer.MAX_VALUE);
        boolean history = "1".equals(r.param("history"));
        int shift = history ? historyStart(events, id) : 0;
        LossCurves.Curve curve = losses.curve(id, Math.max(0, from - shift), to == Integer.MAX_VALUE ? to : Math.max(0, to - shift), points);
        Reply.json(r.exchange(), 200, g -> {
            g.writeStartObject();
            g.writeNumberField("run", id);
            g.writeNumberField("epochs", curve.epochs());
            g.writeNumberField("from", curve.from() + shift);
            g.writeNumberField("to", curve.to() + shift);
            g.writeNumberField("offset", shift);
            g.writeBooleanField("everyEpoch", curve.everyEpoch());
            Values.series(g, curve.points(), shift);
            g.writeEndObject();
        });
    }

    /** Every weight's and bias's value per epoch (and after the last update), thinned as the PNG plots thin them. */
    void trajectories(Request r, long id) throws IOException {
        RunStarted started = events.started(id);
        int lines = started.config().network().weightCount() + started.config().network().biasCount();
        int points = r.intParam("points", 2, MAX_POINTS, 2000);
        if (lines > MAX_TRAJECTORIES) {
            Reply.json(r.exchange(), 200, g -> {
                g.writeStartObject();
                g.writeNumberField("lines", lines);
                g.writeNumberField("shown", 0);
                g.writeEndObject();
            });
            return;
        }
        int count = events.epochCount(id);
        Trajectories cached = trajectories.get(id);
        if (cached == null || cached.epochs() != count || cached.points() != points) {
            Chart chart = RunCharts.values(events, List.of(id), RunCharts.Values.WEIGHTS, Math.max(1, points / 2), 1);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (JsonGenerator g = Reply.JSON.createGenerator(bytes)) {
                g.writeStartObject();
                g.writeNumberField("lines", lines);
                g.writeNumberField("shown", lines);
                g.writeNumberField("epochs", count);
                g.writeArrayFieldStart("series");
                for (Series s : chart.series()) {
                    g.writeStartObject();
                    g.writeStringField("label", s.label());
                    Values.series(g, s, 0);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            cached = new Trajectories(count, points, bytes.toByteArray());
            trajectories.put(id, cached);
        }
        Reply.bytes(r.exchange(), 200, "application/json; charset=utf-8", cached.json());
    }
}
