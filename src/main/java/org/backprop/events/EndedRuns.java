package org.backprop.events;

/**
 * Why a run that has a terminal event cannot be resumed, said the same by every store: it completed, it failed, or
 * its end event was not written by its recorder (its hash does not follow the run's chain), in which case a fork
 * continues its intact epochs.
 */
public final class EndedRuns {
    private EndedRuns() {
    }

    /**
     * The refusal to resume run {@code runId}, whose stored end event is {@code end} (null when it cannot even be read)
     * with the stored {@code status}, {@code epoch}, {@code reason} and {@code hash}; {@code lastHash} is the hash of
     * the run's last stored event before it and {@code storedEpochs} how many epochs it has.
     */
    public static ResumeRefusedException refusal(long runId, RunEvent end, String status, int epoch, String reason, byte[] hash, byte[] lastHash,
                                                 int storedEpochs) {
        if (end == null || !new EventHashes().endMatches(lastHash, end, hash)) {
            return new ResumeRefusedException("run " + runId + "'s end event (" + status + " at epoch " + epoch
                    + (reason == null ? "" : ", '" + reason + "'") + ") was not written by its recorder, since its hash does not follow the run's"
                    + " chain: the store was written behind backprop's back; the " + storedEpochs + " epochs recorded before it are intact, and"
                    + " 'backprop fork " + runId + " --at " + storedEpochs + "' continues them bit for bit as a new run ('backprop verify " + runId
                    + "' reports the forgery)");
        }
        return EventHashes.COMPLETED.equals(status)
                ? new ResumeRefusedException("run " + runId + " has already completed (all " + epoch
                        + " epochs are recorded): there is nothing to resume; 'backprop runs' shows the runs that are interrupted")
                : new ResumeRefusedException("run " + runId + " failed at epoch " + epoch + " (" + reason
                        + "): resuming would fail the same way; train it again with another learning rate");
    }
}
