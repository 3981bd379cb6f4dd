package org.backprop.store.sql;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.h2.value.ValueDouble;

/**
 * SQL doubles for the views' rows, made the way {@link ValueDouble#get} makes them (0.0 for both zeros, one NaN) but
 * without H2's value cache: {@code get} looks every double up in a shared hash table of recent values, which took a
 * quarter of the time of an aggregate over a view's millions of distinct gradients, none of which repeat.
 */
final class Doubles {
    private static final MethodHandle NEW = constructor();

    private Doubles() {
    }

    private static MethodHandle constructor() {
        try {
            // H2 is on the class path, in the unnamed module, so its private constructor may be looked up.
            return MethodHandles.privateLookupIn(ValueDouble.class, MethodHandles.lookup())
                    .findConstructor(ValueDouble.class, MethodType.methodType(void.class, double.class));
        } catch (ReflectiveOperationException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    static ValueDouble of(double d) {
        if (NEW == null || d == 0.0 || d == 1.0 || Double.isNaN(d)) {
            return ValueDouble.get(d);
        }
        try {
            return (ValueDouble) NEW.invokeExact(d);
        } catch (Throwable e) {
            return ValueDouble.get(d);
        }
    }
}
