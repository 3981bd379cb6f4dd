package org.backprop.store.sql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.h2.engine.SessionLocal;
import org.h2.result.SearchRow;
import org.h2.value.CompareMode;
import org.h2.value.DataType;
import org.h2.value.Value;
import org.h2.value.ValueDecfloat;

/**
 * What H2's index cursor asks of a view table: for every column of the index it passes, the least and the greatest
 * value a row may have (inclusive, so a superset of the rows; H2 checks each row against the query afterwards).
 * A bound that is SQL NULL comes from {@code IS NULL}, which no key column of a view ever is, so it selects nothing.
 * A bound H2 gives in another type (a DOUBLE, a NUMERIC beyond BIGINT) is rounded outwards, never inwards.
 */
final class ViewBounds {
    /** A column's range of whole numbers; {@code lo > hi} when no value fits. */
    record Range(long lo, long hi) {
        static final Range ALL = new Range(Long.MIN_VALUE, Long.MAX_VALUE);

        boolean isEmpty() {
            return lo > hi;
        }

        boolean isAll() {
            return lo == Long.MIN_VALUE && hi == Long.MAX_VALUE;
        }

        /** The part of the range within {@code from..to} (so within the ints when they are). */
        Range within(long from, long to) {
            return new Range(Math.max(lo, from), Math.min(hi, to));
        }
    }

    private ViewBounds() {
    }

    /** The range of a whole-number column between the two search rows (either may be null: unbounded). */
    static Range range(SearchRow lower, SearchRow upper, int column) {
        Value lo = lower == null ? null : lower.getValue(column);
        Value hi = upper == null ? null : upper.getValue(column);
        if (lo == org.h2.value.ValueNull.INSTANCE || hi == org.h2.value.ValueNull.INSTANCE) {
            return new Range(1, 0);
        }
        long from = lo == null ? Long.MIN_VALUE : lowerBound(lo);
        long to = hi == null ? Long.MAX_VALUE : upperBound(hi);
        return from == EMPTY_LOWER || to == EMPTY_UPPER ? new Range(1, 0) : new Range(from, to);
    }

    /**
     * The one string a character column must equal (both bounds the same, compared the database's binary way), or
     * null when the bounds are a range, absent, or compared under a collation; {@code ""+NUL} when they are NULL.
     */
    static String equalString(SessionLocal session, SearchRow lower, SearchRow upper, int column) {
        Value lo = lower == null ? null : lower.getValue(column);
        Value hi = upper == null ? null : upper.getValue(column);
        if (lo == org.h2.value.ValueNull.INSTANCE || hi == org.h2.value.ValueNull.INSTANCE) {
            return NO_STRING;
        }
        if (lo == null || hi == null || !DataType.isCharacterStringType(lo.getValueType()) || !DataType.isCharacterStringType(hi.getValueType())
                || !CompareMode.OFF.equals(session.getDatabase().getCompareMode().getName())) {
            return null;
        }
        String a = lo.getString();
        return a.equals(hi.getString()) ? a : null;
    }

    /** Stands for a string no row has: the bound was SQL NULL. */
    static final String NO_STRING = "\u0000";

    /** The least whole number not below {@code v}, or {@link #EMPTY_LOWER} when no long is. */
    private static long lowerBound(Value v) {
        switch (v.getValueType()) {
            case Value.TINYINT, Value.SMALLINT, Value.INTEGER, Value.BIGINT:
                return v.getLong();
            case Value.REAL, Value.DOUBLE: {
                double d = v.getDouble();
                if (Double.isNaN(d) || d > 9.2e18) {
                    return EMPTY_LOWER;
                }
                return d < -9.2e18 ? Long.MIN_VALUE : (long) Math.ceil(d);
            }
            case Value.DECFLOAT:
                if (!((ValueDecfloat) v).isFinite()) {
                    return v == ValueDecfloat.NEGATIVE_INFINITY ? Long.MIN_VALUE : EMPTY_LOWER;
                }
                return fromDecimal(v.getBigDecimal(), RoundingMode.CEILING);
            default:
                return fromDecimalOr(v, RoundingMode.CEILING, Long.MIN_VALUE);
        }
    }

    private static long upperBound(Value v) {
        switch (v.getValueType()) {
            case Value.TINYINT, Value.SMALLINT, Value.INTEGER, Value.BIGINT:
                return v.getLong();
            case Value.REAL, Value.DOUBLE: {
                double d = v.getDouble();
                if (Double.isNaN(d) || d > 9.2e18) {
                    return Long.MAX_VALUE;
                }
                return d < -9.2e18 ? EMPTY_UPPER : (long) Math.floor(d);
            }
            case Value.DECFLOAT:
                if (!((ValueDecfloat) v).isFinite()) {
                    return v == ValueDecfloat.NEGATIVE_INFINITY ? EMPTY_UPPER : Long.MAX_VALUE;
                }
                return fromDecimal(v.getBigDecimal(), RoundingMode.FLOOR);
            default:
                return fromDecimalOr(v, RoundingMode.FLOOR, Long.MAX_VALUE);
        }
    }

    // Markers for a lower bound above every long and an upper bound below every long (the range is then empty).
    // They are never real bounds: the views' key columns hold small numbers, far from either end of a long.
    private static final long EMPTY_LOWER = Long.MAX_VALUE;
    private static final long EMPTY_UPPER = Long.MIN_VALUE;

    private static long fromDecimalOr(Value v, RoundingMode mode, long unbounded) {
        BigDecimal d;
        try {
            d = v.getBigDecimal();
        } catch (RuntimeException notANumber) {
            // A bound of a type that has no number (H2 compares it some other way): no bound rather than a wrong one.
            return unbounded;
        }
        return d == null ? unbounded : fromDecimal(d, mode);
    }

    private static long fromDecimal(BigDecimal d, RoundingMode mode) {
        BigDecimal whole = d.setScale(0, mode);
        if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return mode == RoundingMode.CEILING ? EMPTY_LOWER : Long.MAX_VALUE;
        }
        if (whole.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            return mode == RoundingMode.CEILING ? Long.MIN_VALUE : EMPTY_UPPER;
        }
        return whole.longValueExact();
    }
}
