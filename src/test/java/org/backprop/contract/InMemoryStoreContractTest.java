package org.backprop.contract;

import org.backprop.cli.Cli;
import org.backprop.events.EventStore;
import org.backprop.events.InMemoryEventStore;
import org.junit.jupiter.api.BeforeEach;

/** The store port's contract, kept by the in-memory store the unit tests use (where it applies: it has no SQL and no command line). */
class InMemoryStoreContractTest extends EventStoreContract {
    private InMemoryEventStore memory;

    @BeforeEach
    void newStore() {
        memory = new InMemoryEventStore();
    }

    @Override
    protected StoreUnderTest store() {
        return new StoreUnderTest() {
            @Override
            public EventStore open() {
                return memory;
            }

            @Override
            public Cli cli() {
                return null;
            }

            @Override
            public boolean hasQueue() {
                return false;
            }
        };
    }
}
