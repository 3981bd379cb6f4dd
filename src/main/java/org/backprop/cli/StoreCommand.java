package org.backprop.cli;

import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;

/**
 * A command that works on a store. {@code Main} checks the command's own input first ({@link #prepare()}), then opens
 * the store named by {@code --db} as the command says it needs it, hands it over, and closes it afterwards: no command
 * opens a store itself, nor knows which kind of store it was given.
 */
interface StoreCommand {
    /**
     * Checks everything the command can check before a store is opened (bad input leaves nothing behind: no store is
     * created for it) and says how the store is to be opened, or null when this invocation needs no store (it is then
     * called with null).
     */
    StoreAccess prepare();

    /** Does the command's work on the open store; returns the exit code. */
    int call(EventStore store) throws Exception;
}
