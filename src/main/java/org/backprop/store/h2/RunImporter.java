package org.backprop.store.h2;

import java.util.Iterator;
import org.backprop.events.ImportOrigin;
import org.backprop.events.PackedRecorder;
import org.backprop.events.RunEvent;
import org.backprop.events.RunImport;
import org.backprop.events.RunStarted;
import org.jdbi.v3.core.Handle;

/**
 * Writes a run recorded in another store as a new run of this one, in a single transaction, so that a file that turns
 * out to be damaged halfway leaves nothing behind. The new run hashes its own chain, since its start hash covers its id.
 */
final class RunImporter {
    private RunImporter() {
    }

    static RunStarted importRun(Handle writer, RunStarted original, Iterator<RunEvent> rest, ImportOrigin origin, String where) {
        return writer.inTransaction(h -> {
            RunStarted started = RunRecording.insertStart(h, original.config(), null, null, original.source(), origin, original.createdAt());
            long id = started.runId();
            // Only the holder of a run's lease may append to it (schema 8): the import holds it until it commits.
            WriterLease lease = new WriterLease(id);
            lease.acquire(h);
            PackedRecorder recorder = new PackedRecorder(new BlockWriter(h, null, null, id, where), false, started, 0,
                    RunRecording.hashOf(h, id), RunRecording.ROW_BYTES);
            RunImport.appendAll(recorder, original.runId(), rest);
            lease.release(h);
            return started;
        });
    }
}
