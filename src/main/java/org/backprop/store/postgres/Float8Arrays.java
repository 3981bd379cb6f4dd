package org.backprop.store.postgres;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.backprop.events.StoreException;

/**
 * PostgreSQL's binary form of a one-dimensional {@code float8[]} without nulls (what {@code array_send} returns and
 * {@code COPY ... (FORMAT binary)} takes): a header, then each element as its length and its big-endian bits. An
 * epoch's canonical bytes are little-endian doubles; these convert between the two without boxing a value.
 */
final class Float8Arrays {
    /** The type of a float8 element. */
    static final int FLOAT8_OID = 701;
    /** The array's header: dimensions, null flag, element type, then the one dimension's length and lower bound. */
    static final int HEADER_BYTES = 20;
    /** Each element: its length (8) and its bits. */
    static final int ELEMENT_BYTES = 12;

    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Float8Arrays() {
    }

    /** The size of the binary form of an array of {@code count} doubles. */
    static int binarySize(int count) {
        return count == 0 ? 12 : HEADER_BYTES + ELEMENT_BYTES * count;
    }

    /**
     * Writes the binary form of {@code count} doubles given as little-endian bytes at {@code from} into {@code out} at
     * {@code at}; returns where it ends.
     */
    static int write(byte[] littleEndian, int from, int count, byte[] out, int at) {
        BE_INT.set(out, at, count == 0 ? 0 : 1);
        BE_INT.set(out, at + 4, 0);
        BE_INT.set(out, at + 8, FLOAT8_OID);
        if (count == 0) {
            return at + 12;
        }
        BE_INT.set(out, at + 12, count);
        BE_INT.set(out, at + 16, 1);
        int o = at + HEADER_BYTES;
        for (int i = 0, p = from; i < count; i++, p += Double.BYTES, o += ELEMENT_BYTES) {
            BE_INT.set(out, o, Double.BYTES);
            BE_LONG.set(out, o + 4, (long) LE_LONG.get(littleEndian, p));
        }
        return o;
    }

    /** The number of doubles in a binary array, checked to be one-dimensional, from 1, of float8 and without nulls. */
    static int count(byte[] binary) {
        int dimensions = (int) BE_INT.get(binary, 0);
        if (dimensions == 0) {
            return 0;
        }
        if (dimensions != 1 || (int) BE_INT.get(binary, 8) != FLOAT8_OID || (int) BE_INT.get(binary, 16) != 1) {
            throw malformed("a " + dimensions + "-dimensional array of type " + (int) BE_INT.get(binary, 8));
        }
        int count = (int) BE_INT.get(binary, 12);
        if (binary.length != HEADER_BYTES + ELEMENT_BYTES * count) {
            throw malformed("an array of " + count + " elements in " + binary.length + " bytes (a null among them?)");
        }
        return count;
    }

    /** The doubles of a binary array as canonical little-endian bytes, into {@code out} at {@code at}. */
    static void toLittleEndian(byte[] binary, int count, byte[] out, int at) {
        for (int i = 0, o = HEADER_BYTES, p = at; i < count; i++, o += ELEMENT_BYTES, p += Double.BYTES) {
            if ((int) BE_INT.get(binary, o) != Double.BYTES) {
                throw malformed("an element of " + (int) BE_INT.get(binary, o) + " bytes");
            }
            LE_LONG.set(out, p, (long) BE_LONG.get(binary, o + 4));
        }
    }

    /** The doubles of a binary array as canonical little-endian bytes. */
    static byte[] toLittleEndian(byte[] binary) {
        int count = count(binary);
        byte[] out = new byte[count * Double.BYTES];
        toLittleEndian(binary, count, out, 0);
        return out;
    }

    /** The doubles of a binary array. */
    static double[] doubles(byte[] binary) {
        int count = count(binary);
        double[] out = new double[count];
        for (int i = 0, o = HEADER_BYTES; i < count; i++, o += ELEMENT_BYTES) {
            out[i] = Double.longBitsToDouble((long) BE_LONG.get(binary, o + 4));
        }
        return out;
    }

    /** The binary form of these doubles, for a parameter of type float8[] sent as bytes ({@code ?::bytea} is not it: see the callers). */
    static byte[] binary(double[] values) {
        byte[] le = new byte[values.length * Double.BYTES];
        for (int i = 0; i < values.length; i++) {
            LE_LONG.set(le, i * Double.BYTES, Double.doubleToRawLongBits(values[i]));
        }
        byte[] out = new byte[binarySize(values.length)];
        write(le, 0, values.length, out, 0);
        return out;
    }

    private static StoreException malformed(String what) {
        return new StoreException("the store holds " + what + " where a row of doubles belongs: it was changed behind the application's back"
                + " ('backprop verify' says what differs)");
    }
}
