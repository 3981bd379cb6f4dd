package org.backprop.store;

/** What a command may do to its store, which decides how the store is opened. */
public enum StoreAccess {
    /** Records runs, creating the store when it is not there yet (train, sweep, import). */
    CREATE,
    /** Records runs into a store that exists already (fork, resume). */
    WRITE,
    /** Only reads a store that exists already: a short command, which leaves every byte of the file as it was. */
    READ,
    /**
     * Only reads a store that exists already, for as long as it likes, while other processes write to it and it sees
     * their commits (the web page): as the user that may only select, sharing the store as the writers do.
     */
    WATCH
}
