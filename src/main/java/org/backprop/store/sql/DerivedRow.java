package org.backprop.store.sql;

import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.value.Value;

/**
 * A row of a derived table whose values are made only when H2 asks for them: a query that reads one column of a
 * view reads only that value of each row from the store. The row is immutable once handed out; {@link #setValue}
 * (which H2 does not use on rows of a read-only table) makes it a plain row.
 */
abstract class DerivedRow extends Row {
    private Value[] materialized;

    /** The value of column {@code column}, made from the stored bytes. */
    abstract Value compute(int column);

    @Override
    public final Value getValue(int index) {
        return materialized != null ? materialized[index] : compute(index);
    }

    @Override
    public final void setValue(int index, Value v) {
        getValueList()[index] = v;
    }

    @Override
    public final Value[] getValueList() {
        if (materialized == null) {
            Value[] values = new Value[getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = compute(i);
            }
            materialized = values;
        }
        return materialized;
    }

    @Override
    public final int getMemory() {
        // What H2 would count for a row of this many values, for results it keeps in memory.
        return 24 + getColumnCount() * 24;
    }

    @Override
    public final void copyFrom(SearchRow source) {
        Value[] values = getValueList();
        for (int i = 0; i < values.length; i++) {
            values[i] = source.getValue(i);
        }
        setKey(source.getKey());
    }
}
