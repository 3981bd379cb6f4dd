package org.backprop.store.h2;

import org.h2.api.JavaObjectSerializer;

/**
 * H2's serializer of {@code JAVA_OBJECT} values in every backprop process: it refuses both ways. No store holds Java
 * objects, and deserializing bytes a query was sent rebuilds whatever classes they name (a nested-set bomb took 30 s
 * and the whole heap), so no value is ever turned into an object.
 */
public final class RefusedJavaObjects implements JavaObjectSerializer {
    static final String REFUSAL = "serialized Java objects (JAVA_OBJECT) are never read or written by backprop";

    @Override
    public byte[] serialize(Object obj) {
        throw new UnsupportedOperationException(REFUSAL);
    }

    @Override
    public Object deserialize(byte[] bytes) {
        throw new UnsupportedOperationException(REFUSAL);
    }
}
