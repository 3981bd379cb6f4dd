package org.backprop.events;

import java.time.temporal.ChronoUnit;
import java.util.Iterator;

/**
 * Appends the events of a run recorded in another store to its new run here, the same for every store: each epoch
 * under the new run's id, then at most one terminal event keeping its own time (to the microsecond a store keeps).
 */
public final class RunImport {
    private RunImport() {
    }

    /**
     * Appends {@code rest} through the new run's recorder, which works in the importing transaction; a second start, or
     * anything after the terminal event, is refused. The run that was {@code originalRunId} where it was exported.
     */
    public static void appendAll(PackedRecorder recorder, long originalRunId, Iterator<RunEvent> rest) {
        long id = recorder.started().runId();
        boolean ended = false;
        while (rest.hasNext()) {
            RunEvent event = rest.next();
            if (ended) {
                throw new IllegalArgumentException("nothing follows the terminal event of run " + originalRunId + ", not " + event);
            }
            switch (event) {
                case EpochRecorded e -> recorder.append(new EpochRecorded(id, e.epoch(), e.before(), e.netInputs(), e.activations(),
                        e.deltas(), e.weightGradients(), e.biasGradients(), e.loss()));
                case RunCompleted done -> {
                    recorder.end(new RunCompleted(id, done.epochs(), done.finalParameters(), done.endedAt().truncatedTo(ChronoUnit.MICROS)));
                    ended = true;
                }
                case RunFailed failed -> {
                    recorder.end(new RunFailed(id, failed.epoch(), failed.reason(), failed.endedAt().truncatedTo(ChronoUnit.MICROS)));
                    ended = true;
                }
                case RunStarted s -> throw new IllegalArgumentException("run " + originalRunId + " cannot start twice");
            }
        }
        if (!ended) {
            recorder.flush();
        }
    }
}
