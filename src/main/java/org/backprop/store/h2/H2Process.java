package org.backprop.store.h2;

import java.util.Objects;
import org.backprop.events.StoreException;
import org.h2.engine.SysProperties;
import org.h2.store.fs.FilePath;

/**
 * The H2 settings every backprop process runs with. H2 reads its system properties once, when its classes initialise,
 * so they are set here before any connection is made: its servers (AUTO_SERVER's included) listen on the loopback
 * address only, no {@code JAVA_OBJECT} is ever deserialized, the only Java classes a schema may name are the store's
 * own, the files of a store are created readable by their owner only ({@link OwnerOnlyFilePath}), and H2 keeps no
 * shared cache of recent values: every double it makes (a view's, or one ABS or a sum computes) was looked up in one,
 * which took a fifth of an aggregate over a wide run's millions of gradients, none of which repeat.
 */
public final class H2Process {
    /** The address H2's servers listen on unless {@code server --allow-others} asks for every address. */
    public static final String LOOPBACK = "127.0.0.1";
    private static final String BIND_ADDRESS = "h2.bindAddress";
    private static final String SERIALIZER = "h2.javaObjectSerializer";
    private static final String ALLOWED_CLASSES = "h2.allowedClasses";
    private static final String OBJECT_CACHE = "h2.objectCache";
    /** The triggers, functions and table engine the migrations name, and the classes H2 loads itself. */
    private static final String STORE_CLASSES = "org.backprop.store.sql.*," + RefusedJavaObjects.class.getName()
            // The STOP_SERVER function H2 makes in the management database of every TCP server it starts.
            + ",org.h2.server.TcpServer";

    private static String boundTo;
    private static boolean set;

    private H2Process() {
    }

    /**
     * Makes the settings, H2's servers listening on the loopback address only, unless this process was set up already
     * (by {@code server --allow-others}, which opens no store with a server of its own).
     */
    static synchronized void ensure() {
        if (!set) {
            ensure(LOOPBACK);
        }
    }

    /**
     * Makes the settings with H2's servers listening on {@code bindAddress} (null: every address, which only
     * {@code server --allow-others} asks for, in a process of its own). Refuses when H2 was set up otherwise already.
     */
    static synchronized void ensure(String bindAddress) {
        if (!set) {
            if (bindAddress == null) {
                System.clearProperty(BIND_ADDRESS);
            } else {
                System.setProperty(BIND_ADDRESS, bindAddress);
            }
            System.setProperty(SERIALIZER, RefusedJavaObjects.class.getName());
            System.setProperty(ALLOWED_CLASSES, STORE_CLASSES);
            System.setProperty(OBJECT_CACHE, "false");
            FilePath.register(new OwnerOnlyFilePath());
            set = true;
            // Reading them initialises H2's settings: from here on they cannot change.
            if (!Objects.equals(SysProperties.JAVA_OBJECT_SERIALIZER, RefusedJavaObjects.class.getName())
                    || !Objects.equals(SysProperties.ALLOWED_CLASSES, STORE_CLASSES)) {
                throw new StoreException("H2 was set up in this process before backprop could make it safe (it would deserialize Java"
                        + " objects or load any class): run backprop in a process of its own");
            }
            boundTo = SysProperties.BIND_ADDRESS;
        }
        if (!Objects.equals(boundTo, bindAddress)) {
            throw new StoreException("H2's servers in this process listen on " + (boundTo == null ? "every address" : boundTo)
                    + ", not on " + (bindAddress == null ? "every address" : bindAddress) + " as asked: run backprop in a process of its own");
        }
    }
}
