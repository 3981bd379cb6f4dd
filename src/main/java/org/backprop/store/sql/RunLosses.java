package org.backprop.store.sql;

import org.backprop.events.LossTally;
import org.h2.engine.SessionLocal;
import org.h2.value.Value;
import org.h2.value.ValueDouble;
import org.h2.value.ValueInteger;
import org.h2.value.ValueNull;

/**
 * A run's final loss, lowest loss and the first epoch with it ({@link LossTally}), as H2 values for the {@code runs}
 * table: read from the stored epochs, one double each, so a wide epoch's parts that hold no loss stay unread.
 */
record RunLosses(Value finalError, Value bestError, Value bestEpoch) {
    static final RunLosses NONE = new RunLosses(ValueNull.INSTANCE, ValueNull.INSTANCE, ValueNull.INSTANCE);

    /** The losses of epochs 0..epochs-1 of the run, as stored. */
    static RunLosses read(SessionLocal session, long runId, int epochs) {
        RunLayout layout = epochs > 0 ? RunLayout.load(session, runId) : null;
        if (layout == null) {
            return NONE;
        }
        LossTally tally = new LossTally();
        StoredRows.Walk walk = new StoredRows(session, runId, layout.epochBytes()).walk(0, epochs - 1, false);
        for (StoredRows.StoredRow row = walk.next(); row != null; row = walk.next()) {
            for (int e = Math.max(row.first, 0), end = Math.min(row.last, epochs - 1); e <= end; e++) {
                tally.add(e, row.getDouble(e, layout.lossAt));
            }
        }
        return new RunLosses(value(tally.finalError()), value(tally.bestError()),
                tally.bestEpoch() == null ? ValueNull.INSTANCE : ValueInteger.get(tally.bestEpoch()));
    }

    private static Value value(Double d) {
        return d == null ? ValueNull.INSTANCE : ValueDouble.get(d);
    }
}
