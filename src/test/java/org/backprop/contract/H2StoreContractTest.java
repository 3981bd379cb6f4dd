package org.backprop.contract;

import org.backprop.cli.Cli;
import org.backprop.events.EventStore;
import org.backprop.store.TempStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store port's contract, kept by the H2 adapter: a file store of its own for each test. */
class H2StoreContractTest extends EventStoreContract {
    @RegisterExtension
    final TempStore temp = new TempStore();

    @Override
    protected StoreUnderTest store() {
        return new StoreUnderTest() {
            @Override
            public EventStore open() {
                return temp.open();
            }

            @Override
            public Cli cli() {
                return new Cli(temp.folder());
            }

            @Override
            public boolean hasQueue() {
                return true;
            }
        };
    }
}
