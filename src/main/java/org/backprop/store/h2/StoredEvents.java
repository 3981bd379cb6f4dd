package org.backprop.store.h2;

import java.util.Optional;
import java.util.function.Consumer;
import org.backprop.events.EpochBlock;
import org.backprop.events.RunEvent;
import org.backprop.events.RunStarted;
import org.backprop.events.StoreException;
import org.backprop.events.StoredRun;
import org.jdbi.v3.core.Handle;

/** Reads events as they lie in the tables, hashes included, for the checks that must see exactly what is stored. */
final class StoredEvents {
    private StoredEvents() {
    }

    static StoredRun stored(Handle h, RunStarted started) {
        long runId = started.runId();
        record Start(String config, byte[] hash) {
        }
        record End(RunEvent event, byte[] hash) {
        }
        Start start = h.createQuery("SELECT config, hash FROM run_started WHERE run_id = :id").bind("id", runId)
                .map((rs, ctx) -> new Start(rs.getString(1), rs.getBytes(2))).one();
        int weights = started.config().network().weightCount();
        Optional<End> end = h.createQuery("SELECT * FROM run_ended WHERE run_id = :id").bind("id", runId)
                .map((rs, ctx) -> new End(RunReads.readEnd(rs, runId, weights), rs.getBytes("hash"))).findOne();
        return new StoredRun(started, start.config(), start.hash(), end.map(End::event), end.map(End::hash).orElse(null));
    }

    /** Every stored row of the run, gaps and all, in order; see {@link StoredEpochs#nextRow}. */
    static void forEachBlock(Handle h, long runId, int epochBytes, Consumer<EpochBlock> action) {
        StoredEpochs stored = new StoredEpochs(h.getConnection(), runId, epochBytes);
        try {
            for (StoredEpochs.Row row = stored.nextRow(null, Integer.MIN_VALUE, Integer.MAX_VALUE); row != null;
                    row = stored.nextRow(row, Integer.MIN_VALUE, Integer.MAX_VALUE)) {
                action.accept(new EpochBlock(runId, row.first(), row.last(), row.payload(), row.hashes()));
            }
        } catch (java.sql.SQLException e) {
            throw new StoreException("run " + runId + " cannot be read: " + H2Errors.firstLine(e.getMessage()), e);
        }
    }
}
