package org.backprop.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Server-sent events: what changed in the store, within a second of its commit. {@code /api/live} streams every run
 * whose row changed (event id: the version of the change), {@code /api/live?run=ID} one run's epochs and status (event
 * id: its epoch count and status). A browser that reconnects sends the last id it saw and gets what came since.
 */
final class LiveEvents {
    static final long KEEP_ALIVE_MILLIS = 15_000;

    private final LiveRuns live;

    LiveEvents(LiveRuns live) {
        this.live = live;
    }

    void stream(Request r) throws IOException {
        HttpExchange ex = r.exchange();
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        if (r.isHead()) {
            ex.sendResponseHeaders(200, -1);
            ex.close();
            return;
        }
        String lastId = r.header("Last-Event-ID");
        String run = r.param("run");
        Long runId = run == null ? null : Request.runId(run);
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            write(out, "retry: 1000\n\n");
            if (runId != null) {
                oneRun(out, runId, lastId);
            } else {
                allRuns(out, lastId != null ? lastId : r.param("since"));
            }
        } catch (IOException gone) {
            // The page was closed or reloaded: nothing more to send.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void oneRun(OutputStream out, long runId, String lastId) throws IOException, InterruptedException {
        String seen = lastId;
        long version = -1;
        live.lookNow();
        while (true) {
            RunRow row = live.row(runId);
            String id = row == null ? null : row.summary().epochsRecorded() + "-" + row.summary().status();
            if (id != null && !id.equals(seen)) {
                event(out, id, row);
                seen = id;
            }
            version = awaitChange(out, version);
            if (version < 0) {
                return;
            }
        }
    }

    private void allRuns(OutputStream out, String lastId) throws IOException, InterruptedException {
        long seen;
        try {
            seen = lastId == null ? live.version() : Long.parseLong(lastId);
        } catch (NumberFormatException e) {
            seen = 0;
        }
        // A version from before this server started: send everything.
        if (seen > live.version()) {
            seen = 0;
        }
        while (true) {
            long now = live.version();
            if (now > seen) {
                List<RunRow> changed = live.changedSince(seen);
                for (RunRow row : changed) {
                    event(out, Long.toString(now), row);
                }
                seen = now;
            }
            if (awaitChange(out, seen) < 0) {
                return;
            }
        }
    }

    /**
     * The version once it passes {@code seen}; a comment goes out every 15 s meanwhile, so a connection that is gone is
     * noticed. -1 when the server is stopping.
     */
    private long awaitChange(OutputStream out, long seen) throws IOException, InterruptedException {
        while (true) {
            long next = live.awaitChange(seen, KEEP_ALIVE_MILLIS);
            if (live.closed()) {
                return -1;
            }
            if (next != seen) {
                return next;
            }
            write(out, ": still here\n\n");
        }
    }

    private static void event(OutputStream out, String id, RunRow row) throws IOException {
        StringWriter json = new StringWriter();
        try (JsonGenerator g = Reply.JSON.createGenerator(json)) {
            RunsApi.row(g, row);
        }
        write(out, "id: " + id + "\nevent: run\ndata: " + json + "\n\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
