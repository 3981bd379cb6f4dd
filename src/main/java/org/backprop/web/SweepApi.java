package org.backprop.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EventStore;
import org.backprop.model.RunConfig;
import org.backprop.sweep.SweepResult;
import org.backprop.sweep.SweepRun;
import org.backprop.sweep.SweepTable;
import org.backprop.table.Cells;

/** The sweep page's data: the results table as {@code backprop sweep} prints it, the best rate, and what kind of sweep it was. */
final class SweepApi {
    static final String CHAINED_WARNING = "chained: each learning rate continued from the previous run's final weights, so the"
            + " columns do not share a start and do not compare the rates like for like (a sweep without --chained starts every"
            + " rate from the same weights)";

    private final StoreView view;

    SweepApi(StoreView view) {
        this.view = view;
    }

    /** The sweep as recorded; its rates not run (a chained sweep stopped by a failure) are not recorded, so none are listed. */
    SweepResult load(long sweepId) {
        EventStore events = view.events();
        List<Long> ids = events.sweepRuns(sweepId);
        if (ids.isEmpty()) {
            throw BadRequestException.notFound("there is no sweep " + sweepId + " in this store");
        }
        List<SweepRun> runs = new ArrayList<>();
        for (long id : ids) {
            runs.add(SweepRun.load(events, id));
        }
        return new SweepResult(sweepId, view.sweepChained(sweepId).orElse(false), runs, List.of());
    }

    /** The configuration the sweep's runs were made from: its first run's, under the name before "-lrRATE". */
    static RunConfig base(SweepResult result) {
        return SweepTable.base(result);
    }

    void sweep(Request r, long sweepId) throws IOException {
        SweepResult result = load(sweepId);
        RunConfig base = base(result);
        List<String> columns = SweepTable.columns(result);
        List<List<Object>> rows = SweepTable.rows(result, SweepTable.SHOWN_ROWS);
        SweepRun best = null;
        for (SweepRun run : result.runs()) {
            if (run.completed() && (best == null || run.finalError() < best.finalError())) {
                best = run;
            }
        }
        SweepRun lowest = best;
        Reply.json(r.exchange(), 200, g -> {
            g.writeStartObject();
            g.writeNumberField("id", sweepId);
            g.writeBooleanField("chained", result.chained());
            g.writeStringField("heading", SweepTable.heading(result, base));
            g.writeStringField("finalMeaning", SweepTable.finalMeaning(base.epochs()));
            // A queued sweep's runs train while the page is open: how far they are, null once every run has ended.
            g.writeStringField("progress", SweepTable.progress(result));
            g.writeStringField("warning", result.chained() ? CHAINED_WARNING : null);
            g.writeArrayFieldStart("columns");
            for (String c : columns) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (List<Object> row : rows) {
                g.writeStartArray();
                for (Object v : row) {
                    g.writeString(Cells.text(v));
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("runs");
            for (SweepRun run : result.runs()) {
                g.writeNumber(run.runId());
            }
            g.writeEndArray();
            Values.nullableNumber(g, "bestRun", lowest == null ? null : lowest.runId());
            Values.field(g, "bestRate", lowest == null ? null : lowest.learningRate());
            Values.field(g, "bestError", lowest == null ? null : lowest.finalError());
            g.writeEndObject();
        });
    }
}
