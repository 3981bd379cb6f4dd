package org.backprop.sweep;

import java.time.Duration;
import java.util.Optional;
import org.backprop.events.RunFailed;
import org.backprop.events.EventStore;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.training.StopSignal;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;

/**
 * Trains the runs of queued sweeps, one at a time, as long as there are any: it claims the next run nobody trains (a
 * planned one, or one whose worker died, which it continues from its last stored epoch exactly as {@code resume}
 * would), trains and records it, and claims the next. While the only runs left are being trained by others it
 * waits, taking over any that is interrupted; once every queued run has ended it stops, unless it was told to wait
 * for new sweeps. Any number of workers on any number of machines share a queue: the store hands each run to one.
 */
public final class Worker {
    private final EventStore store;
    private final Long sweepId;
    private final boolean waitForMore;
    private final Duration poll;
    private final StopSignal stop;

    /** What a worker tells while it works: each run it claims and how it ended, and when it waits. */
    public interface Listener {
        void claimed(RunStarted run, int fromEpoch);

        void trained(TrainingOutcome outcome);

        /** Nothing to claim now: {@code unfinished} queued runs are being trained elsewhere (or none, when it waits for new sweeps). */
        void waiting(int unfinished);

        /** The training progress of the claimed run. */
        default TrainingProgress progress() {
            return TrainingProgress.NONE;
        }
    }

    /** How a worker's work went: runs trained to their end, how many of them failed, and whether it was stopped. */
    public record Summary(int trained, int failed, boolean stopped) {
    }

    /**
     * @param sweepId only this sweep's runs, or null for every queued sweep of the store
     * @param waitForMore keep polling for new queued runs once every run has ended
     */
    public Worker(EventStore store, Long sweepId, boolean waitForMore, Duration poll, StopSignal stop) {
        this.store = store;
        this.sweepId = sweepId;
        this.waitForMore = waitForMore;
        this.poll = poll;
        this.stop = stop;
    }

    public Summary run(Listener listener) {
        int trained = 0;
        int failed = 0;
        boolean waiting = false;
        while (!stop.stopRequested()) {
            Optional<RunRecorder> claim = store.claimQueuedRun(sweepId);
            if (claim.isPresent()) {
                waiting = false;
                TrainingOutcome outcome;
                try (RunRecorder recorder = claim.get()) {
                    long id = recorder.started().runId();
                    int from = recorder.nextEpoch();
                    listener.claimed(recorder.started(), from);
                    outcome = Trainer.run(recorder, store.parametersAt(id, from), listener.progress(), stop);
                }
                if (outcome.end() == null) {
                    // Stopped in the middle: the run is interrupted, and the next worker continues it.
                    return new Summary(trained, failed, true);
                }
                trained++;
                failed += outcome.end() instanceof RunFailed ? 1 : 0;
                listener.trained(outcome);
                continue;
            }
            int unfinished = store.unfinishedQueuedRuns(sweepId);
            if (unfinished == 0 && !waitForMore) {
                return new Summary(trained, failed, false);
            }
            if (!waiting) {
                listener.waiting(unfinished);
                waiting = true;
            }
            pause();
        }
        return new Summary(trained, failed, true);
    }

    /** Waits one poll, looking every tenth of a second whether it was asked to stop. */
    private void pause() {
        long until = System.nanoTime() + poll.toNanos();
        while (System.nanoTime() < until && !stop.stopRequested()) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
