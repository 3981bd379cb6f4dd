package org.backprop.store;

/** What a command may do to its store, which decides how the store is opened. */
public enum StoreAccess {
    /** Records runs, creating the store when it is not there yet (train, sweep, import). */
    CREATE,
    /** Records runs into a store that exists already (fork, resume). */
    WRITE,
    /** Only reads a store that exists already. */
    READ
}
