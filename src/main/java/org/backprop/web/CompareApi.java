package org.backprop.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.backprop.diff.ConfigDifference;
import org.backprop.diff.EpochDiff;
import org.backprop.diff.RunDiff;
import org.backprop.diff.WeightDifference;
import org.backprop.events.EventStore;
import org.backprop.events.RunStarted;
import org.backprop.plot.Decimator;

/**
 * The compare page's data: the runs on one axis of history epochs, how their configurations differ, whether they
 * started alike, and for two runs what {@code backprop diff} finds, from the same {@link RunDiff}.
 */
final class CompareApi {
    static final int MAX_RUNS = 32;

    private final EventStore events;
    private final LiveRuns live;
    private final Map<String, Cached> diffs = new ConcurrentHashMap<>();

    private record Cached(int epochsA, int epochsB, RunDiff diff) {
    }

    CompareApi(EventStore events, LiveRuns live) {
        this.events = events;
        this.live = live;
    }

    /** The runs named by {@code runs=A,B,...}, each once, in the order given. */
    static List<Long> runs(Request r) {
        String given = r.param("runs");
        if (given == null || given.isBlank()) {
            throw new BadRequestException(400, "name the runs to compare: /compare?runs=1,2");
        }
        LinkedHashSet<Long> ids = new LinkedHashSet<>();
        for (String part : given.split(",")) {
            if (!part.isBlank()) {
                ids.add(Request.runId(part.strip()));
            }
        }
        if (ids.isEmpty() || ids.size() > MAX_RUNS) {
            throw new BadRequestException(400, "compare 1 to " + MAX_RUNS + " runs, not " + ids.size());
        }
        return List.copyOf(ids);
    }

    /** The comparison of runs a and b, read again only when either has recorded more epochs since. */
    RunDiff diff(long a, long b) {
        int na = events.epochCount(a);
        int nb = events.epochCount(b);
        Cached c = diffs.get(a + "," + b);
        if (c == null || c.epochsA() != na || c.epochsB() != nb) {
            c = new Cached(na, nb, RunDiff.of(events, a, b));
            diffs.put(a + "," + b, c);
        }
        return c.diff();
    }

    void summary(Request r) throws IOException {
        List<Long> ids = runs(r);
        List<RunStarted> started = new ArrayList<>();
        for (long id : ids) {
            started.add(events.started(id));
        }
        RunStarted first = started.get(0);
        boolean sameStart = started.stream().allMatch(s -> s.config().initial().equals(first.config().initial()));
        RunDiff pair = ids.size() == 2 ? diff(ids.get(0), ids.get(1)) : null;
        Reply.json(r.exchange(), 200, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("runs");
            for (RunStarted s : started) {
                long id = s.runId();
                RunRow row = live.row(id);
                g.writeStartObject();
                g.writeNumberField("id", id);
                g.writeStringField("name", s.config().name());
                g.writeStringField("network", s.config().network().shape());
                Values.field(g, "learningRate", s.config().learningRate());
                g.writeNumberField("epochs", s.config().epochs());
                g.writeNumberField("epochsRecorded", events.epochCount(id));
                g.writeStringField("status", row != null ? row.summary().status() : RunApi.status(events.ended(id).orElse(null)));
                g.writeNumberField("historyStart", RunApi.historyStart(events, id));
                Values.nullableNumber(g, "parent", s.lineage() == null ? null : s.lineage().parentRunId());
                Values.nullableNumber(g, "forkEpoch", s.lineage() == null ? null : s.lineage().forkEpoch());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("initialWeightsEqual", pair != null ? pair.initialWeightsEqual() : sameStart);
            g.writeStringField("startStatement", pair != null ? pair.startStatement() : startStatement(started));
            g.writeArrayFieldStart("differences");
            for (RunStarted s : started.subList(1, started.size())) {
                // Two runs are compared as diff compares them (lined up along a shared history, whose start is not a difference).
                for (ConfigDifference d : pair != null ? pair.configurationDifferences() : RunDiff.configurationDifferences(first.config(), s.config())) {
                    g.writeStartObject();
                    g.writeNumberField("a", first.runId());
                    g.writeNumberField("b", s.runId());
                    g.writeStringField("field", d.field());
                    g.writeStringField("valueA", d.a());
                    g.writeStringField("valueB", d.b());
                    g.writeStringField("note", d.note());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            if (pair != null) {
                g.writeObjectFieldStart("diff");
                g.writeBooleanField("identical", pair.identical());
                Values.nullableNumber(g, "firstDivergentEpoch", pair.firstDivergentEpoch());
                Values.field(g, "finalLossA", pair.finalLossA());
                Values.field(g, "finalLossB", pair.finalLossB());
                Values.field(g, "finalLossDifference", pair.finalLossA() != null && pair.finalLossB() != null
                        ? pair.finalLossB() - pair.finalLossA() : null);
                g.writeNumberField("rows", pair.rowCount());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /** For one run or more than two: whether they all started from the first's weights, and which did not. */
    static String startStatement(List<RunStarted> runs) {
        RunStarted first = runs.get(0);
        List<Long> others = runs.stream().filter(s -> !s.config().initial().equals(first.config().initial())).map(RunStarted::runId).toList();
        if (others.isEmpty()) {
            return "initial weights: equal, bit for bit: all " + runs.size() + " runs started from the same point";
        }
        return "initial weights: NOT equal. Run" + (others.size() == 1 ? " " : "s ") + others.stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", ")) + " did not start from run " + first.runId() + "'s weights, so"
                + " comparing their learning rates is confounded: part of any difference in loss comes from where they started, not"
                + " from the rate.";
    }

    /** The loss difference B − A per epoch of the diff, thinned to about {@code points} points. */
    void lossDifference(Request r) throws IOException {
        long a = Request.runId(r.param("a"));
        long b = Request.runId(r.param("b"));
        RunDiff diff = diff(a, b);
        int points = r.intParam("points", 2, RunApi.MAX_POINTS, 2000);
        int from = r.intParam("from", 0, Integer.MAX_VALUE, 0);
        int to = Math.min(diff.rowCount() - 1, r.intParam("to", 0, Integer.MAX_VALUE, Integer.MAX_VALUE));
        Decimator d = new Decimator("loss difference", Math.max(0, to - from + 1), points);
        for (int e = from; e <= to; e++) {
            Double v = diff.row(e).lossDifference();
            if (v != null) {
                d.add(e, v);
            }
        }
        Reply.json(r.exchange(), 200, g -> {
            g.writeStartObject();
            g.writeNumberField("rows", diff.rowCount());
            g.writeNumberField("from", from);
            g.writeNumberField("to", to);
            Values.series(g, d.series(), 0);
            g.writeEndObject();
        });
    }

    /** The weights the diff compares at one epoch, A, B and B − A, with that epoch's row of the diff. */
    void weights(Request r) throws IOException {
        long a = Request.runId(r.param("a"));
        long b = Request.runId(r.param("b"));
        RunDiff diff = diff(a, b);
        int epoch = r.requiredInt("epoch", 0, diff.rowCount() - 1);
        List<WeightDifference> rows = diff.weightsAt(events, epoch);
        EpochDiff row = diff.row(epoch);
        Reply.json(r.exchange(), 200, g -> {
            g.writeStartObject();
            g.writeNumberField("epoch", epoch);
            g.writeNumberField("rows", diff.rowCount());
            Values.field(g, "lossA", row.lossA());
            Values.field(g, "lossB", row.lossB());
            Values.field(g, "lossDifference", row.lossDifference());
            Values.field(g, "maxWeightDifference", row.maxWeightDifference());
            g.writeFieldName("weightsEqual");
            if (row.weightsEqual() == null) {
                g.writeNull();
            } else {
                g.writeBoolean(row.weightsEqual());
            }
            g.writeArrayFieldStart("weights");
            for (WeightDifference w : rows) {
                g.writeStartObject();
                g.writeStringField("name", w.name());
                Values.field(g, "a", w.a());
                Values.field(g, "b", w.b());
                Values.field(g, "difference", w.difference());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
