package org.backprop.web;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.backprop.cli.Cli;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.store.Stores;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.Assertions;

/** A store made by the command line in a temp folder, and a {@link UiServer} reading it on a free port. */
final class UiStore implements AutoCloseable {
    final Cli cli;
    final UiServer server;
    final UiClient client;
    /** What the server said about requests that failed on its side: nothing, in a test that passes. */
    final StringWriter errors;
    private final EventStore store;

    private UiStore(Cli cli, EventStore store, UiServer server, StringWriter errors) {
        this.cli = cli;
        this.store = store;
        this.server = server;
        this.client = new UiClient(server);
        this.errors = errors;
    }

    /** Runs each command line on the store, checking it succeeded, then starts the server. */
    static UiStore of(Path dir, String[]... commands) throws Exception {
        Cli cli = new Cli(dir);
        for (String[] command : commands) {
            Cli.Result r = cli.run(command);
            Assertions.assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r.err());
        }
        return start(cli);
    }

    static UiStore start(Cli cli) throws Exception {
        StringWriter errors = new StringWriter();
        EventStore store = Stores.open(StoreLocation.of(cli.store().toString()), StoreAccess.WATCH);
        UiServer server = UiServer.start(new StoreView(store), "127.0.0.1", 0, true, new PrintWriter(errors, true));
        return new UiStore(cli, store, server, errors);
    }

    /** Waits until the server has read every run's losses once. */
    UiStore indexed() throws InterruptedException {
        for (int i = 0; i < 200 && !server.indexed(); i++) {
            Thread.sleep(25);
        }
        Assertions.assertTrue(server.indexed(), "the server did not read the store's losses within 5 s");
        return this;
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
