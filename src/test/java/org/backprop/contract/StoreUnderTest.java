package org.backprop.contract;

import org.backprop.cli.Cli;
import org.backprop.events.EventStore;

/** A store the contract suite runs against: how to open it, and how the command line names it (null when it cannot). */
interface StoreUnderTest {
    /** Opens the test's store (the same store every time), creating it the first time. */
    EventStore open();

    /** The command line against this store, or null for a store that lives only in this process. */
    Cli cli();

    /** Whether the store answers SQL over its views. */
    default boolean hasSql() {
        return cli() != null;
    }

    /** Whether the store keeps a queue of planned runs for workers. */
    boolean hasQueue();
}
