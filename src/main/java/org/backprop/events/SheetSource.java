package org.backprop.events;

/**
 * Where a run recorded from a spreadsheet came from: the file (its name and SHA-256), the sheet, and the table's
 * position (its header's first cell, as "A32"). A run with a source holds the sheet's values as they stand, so it is
 * not re-executable: verify checks its hash chain only.
 */
public record SheetSource(String file, String sha256, String sheet, String table) {

    public SheetSource {
        if (file == null || sha256 == null || sheet == null || table == null) {
            throw new IllegalArgumentException("a sheet source names its file, SHA-256, sheet and table");
        }
    }

    /** One line for people: "file.xlsx, sheet 'LR = 0.1', table at A32 (SHA-256 1a2b3c4d…)". */
    public String describe() {
        return file + ", sheet '" + sheet + "', table at " + table + " (SHA-256 " + sha256.substring(0, Math.min(12, sha256.length())) + "…)";
    }

    /** Its canonical JSON object, the form the start event's hash covers. */
    String json() {
        return "{\"recordedFrom\":\"sheet\",\"file\":" + CanonicalConfig.quote(file) + ",\"sha256\":" + CanonicalConfig.quote(sha256)
                + ",\"sheet\":" + CanonicalConfig.quote(sheet) + ",\"table\":" + CanonicalConfig.quote(table) + "}";
    }
}
