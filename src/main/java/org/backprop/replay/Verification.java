package org.backprop.replay;

/**
 * What verifying one run found.
 *
 * @param epochs       how many epochs the store holds for it
 * @param end          how the run ended, in words
 * @param difference   the first thing that differs from re-execution, in epoch order, or null when nothing does
 * @param brokenHash   the first event whose hash no longer matches ("epoch 37", "the start event"), or null
 * @param recordedFrom for a run recorded from a spreadsheet, which one (its values were not re-executed); else null
 */
public record Verification(long runId, String name, int epochs, String end, String difference, String brokenHash,
                           String recordedFrom) {

    public Verification(long runId, String name, int epochs, String end, String difference, String brokenHash) {
        this(runId, name, epochs, end, difference, brokenHash, null);
    }

    public boolean ok() {
        return difference == null && brokenHash == null;
    }

    /** The one line {@code verify} prints for the run. */
    public String line() {
        String run = "run " + runId + " '" + name + "': ";
        if (ok()) {
            return run + (recordedFrom == null
                    ? "ok: " + epochs + " epochs re-executed bit for bit, hash chain intact, " + end
                    : "ok: recorded from a sheet (" + recordedFrom + "), so not re-executable: " + epochs
                            + " epochs hold the sheet's values, hash chain intact, " + end);
        }
        return run + "DIFFERS: " + (difference != null ? difference
                : recordedFrom != null ? "recorded from a sheet (" + recordedFrom + "), values not re-executed"
                : "every value re-executes bit for bit") + "; "
                + (brokenHash != null ? "the first event whose hash no longer matches is " + brokenHash
                        : "every hash matches, so the hashes were recomputed after the change");
    }
}
