package org.backprop.web;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.backprop.events.RunSummary;

/** The runs page's data: every run with its status and final and best error, and the store's sweeps. */
final class RunsApi {
    private final StoreView view;
    private final LiveRuns live;
    private final Map<Long, Boolean> chained = new ConcurrentHashMap<>();

    RunsApi(StoreView view, LiveRuns live) {
        this.view = view;
        this.live = live;
    }

    void list(Request r) throws IOException {
        LiveRuns.Snapshot snapshot = live.snapshot();
        Reply.json(r.exchange(), 200, g -> {
            g.writeStartObject();
            g.writeStringField("store", view.describe());
            g.writeNumberField("version", snapshot.version());
            g.writeBooleanField("indexed", snapshot.indexed());
            g.writeArrayFieldStart("runs");
            for (RunRow row : snapshot.rows()) {
                row(g, row);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("sweeps");
            for (Map.Entry<Long, List<RunSummary>> sweep : sweeps(snapshot.rows()).entrySet()) {
                g.writeStartObject();
                g.writeNumberField("id", sweep.getKey());
                g.writeBooleanField("chained", chained.computeIfAbsent(sweep.getKey(), id -> view.sweepChained(id).orElse(false)));
                g.writeArrayFieldStart("runs");
                for (RunSummary s : sweep.getValue()) {
                    g.writeNumber(s.runId());
                }
                g.writeEndArray();
                g.writeArrayFieldStart("rates");
                for (RunSummary s : sweep.getValue()) {
                    Values.value(g, s.learningRate());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static Map<Long, List<RunSummary>> sweeps(List<RunRow> rows) {
        Map<Long, List<RunSummary>> out = new LinkedHashMap<>();
        for (RunRow row : rows) {
            Long sweep = row.summary().sweepId();
            if (sweep != null) {
                out.computeIfAbsent(sweep, id -> new ArrayList<>()).add(row.summary());
            }
        }
        return out;
    }

    /** One run as the runs page and its live updates show it. */
    static void row(JsonGenerator g, RunRow row) throws IOException {
        RunSummary s = row.summary();
        g.writeStartObject();
        g.writeNumberField("id", s.runId());
        g.writeStringField("name", s.name());
        g.writeStringField("network", s.layers());
        g.writeStringField("activations", row.activations());
        Values.field(g, "learningRate", s.learningRate());
        g.writeNumberField("epochs", s.epochs());
        g.writeNumberField("epochsRecorded", s.epochsRecorded());
        g.writeStringField("status", s.status());
        g.writeStringField("reason", s.reason());
        Values.field(g, "finalError", row.finalError());
        Values.field(g, "bestError", row.bestError());
        Values.nullableNumber(g, "bestEpoch", row.bestEpoch());
        Values.nullableNumber(g, "parent", s.parentRunId());
        Values.nullableNumber(g, "forkEpoch", s.forkEpoch());
        Values.nullableNumber(g, "sweep", s.sweepId());
        g.writeStringField("createdAt", s.createdAt() == null ? null : s.createdAt().toString());
        g.writeEndObject();
    }
}
