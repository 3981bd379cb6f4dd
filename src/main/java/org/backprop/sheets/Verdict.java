package org.backprop.sheets;

/** What the audit says of a table. */
public enum Verdict {
    /** Every cell within 1e-12 (relative) of what its inputs give. */
    EXACT("exact"),
    /** Every cell within what its stored digits allow, some further than 1e-12. */
    WITHIN_PRECISION("within-precision"),
    /** At least one cell is further from what its inputs give than its digits allow. */
    DEFECTIVE("defective"),
    /** The table cannot be checked (a column missing, one data row only, no learning rate); the reason says which. */
    NOT_AUDITABLE("not-auditable");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
