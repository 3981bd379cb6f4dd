package org.backprop.events;

/**
 * Where an imported run came from: the id of the store it was exported from (null for an export made before stores
 * had ids), its run id there, and the SHA-256 of the file it was imported from. It is part of the imported run's start
 * event, so its hash covers it.
 */
public record ImportOrigin(String store, long run, String sha256) {

    public ImportOrigin {
        if (sha256 == null || run < 1) {
            throw new IllegalArgumentException("an import names its file's SHA-256 and the run it was");
        }
    }

    /** One line for people: "run 3 of store 5b0c4c1e-… (file SHA-256 1a2b3c4d…)". */
    public String describe() {
        return "run " + run + (store == null ? " of a store without an id" : " of store " + store) + " (file SHA-256 "
                + sha256.substring(0, Math.min(12, sha256.length())) + "…)";
    }

    /** Its canonical JSON object, the form the start event's hash covers. */
    String json() {
        return "{\"store\":" + (store == null ? "null" : CanonicalConfig.quote(store)) + ",\"run\":" + run + ",\"sha256\":"
                + CanonicalConfig.quote(sha256) + "}";
    }
}
