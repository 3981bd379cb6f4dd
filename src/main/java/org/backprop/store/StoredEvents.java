package org.backprop.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.backprop.events.EpochBlock;
import org.backprop.events.RunEvent;
import org.backprop.events.RunStarted;
import org.backprop.events.StoredRun;
import org.jdbi.v3.core.Handle;

/** Reads events as they lie in the tables, hashes included, for the checks that must see exactly what is stored. */
final class StoredEvents {
    private StoredEvents() {
    }

    static List<Long> runIds(Handle h) {
        return h.createQuery("SELECT run_id FROM run_started ORDER BY run_id").mapTo(Long.class).list();
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
                .map((rs, ctx) -> new End(RunStore.readEnd(rs, runId, weights), rs.getBytes("hash"))).findOne();
        return new StoredRun(started, start.config(), start.hash(), end.map(End::event), end.map(End::hash).orElse(null));
    }

    /** Streams the rows one at a time, so a long run is never held in memory whole. */
    static void forEachBlock(Handle h, long runId, Consumer<EpochBlock> action) {
        h.createQuery("SELECT first_epoch, last_epoch, payload, hashes FROM epoch_blocks WHERE run_id = :id ORDER BY first_epoch")
                .bind("id", runId)
                .map((rs, ctx) -> new EpochBlock(runId, rs.getInt(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4)))
                .forEach(action);
    }
}
