package org.backprop.replay;

/**
 * What verifying one run found.
 *
 * @param epochs     how many epochs the store holds for it
 * @param end        how the run ended, in words
 * @param difference the first thing that differs from re-execution, in epoch order, or null when nothing does
 * @param brokenHash the first event whose hash no longer matches ("epoch 37", "the start event"), or null
 */
public record Verification(long runId, String name, int epochs, String end, String difference, String brokenHash) {

    public boolean ok() {
        return difference == null && brokenHash == null;
    }

    /** The one line {@code verify} prints for the run. */
    public String line() {
        String run = "run " + runId + " '" + name + "': ";
        if (ok()) {
            return run + "ok: " + epochs + " epochs re-executed bit for bit, hash chain intact, " + end;
        }
        return run + "DIFFERS: " + (difference != null ? difference : "every value re-executes bit for bit") + "; "
                + (brokenHash != null ? "the first event whose hash no longer matches is " + brokenHash
                        : "every hash matches, so the hashes were recomputed after the change");
    }
}
