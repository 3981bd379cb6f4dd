package org.backprop.contract;

import org.backprop.cli.Cli;
import org.backprop.events.EventStore;
import org.backprop.store.TempPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store port's contract, kept by the PostgreSQL adapter: a database of its own for each test. */
@Tag("slow")
class PostgresStoreContractTest extends EventStoreContract {
    @RegisterExtension
    final TempPostgres postgres = new TempPostgres();

    @Override
    protected StoreUnderTest store() {
        return new StoreUnderTest() {
            @Override
            public EventStore open() {
                return postgres.open();
            }

            @Override
            public Cli cli() {
                return Cli.forDb(postgres.url());
            }

            @Override
            public boolean hasQueue() {
                return true;
            }
        };
    }
}
