package org.backprop.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.web.StoreView;
import org.backprop.web.UiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop ui}: a local web page that replays runs, compares them and watches training live. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Serves a web page of the store on this machine until stopped with Ctrl-C:",
            "every run; one run epoch by epoch (the network with its values, the loss",
            "curve, the weights); runs compared on one axis with their first divergent",
            "epoch; sweeps; and runs as they train. It prints the address to open, whose",
            "token lets your browser in. The store is opened for reading only."},
        footer = {"", "Examples:",
            "  backprop ui                     prints: open: http://127.0.0.1:PORT/?token=...",
            "  backprop ui --port 8123 --db lab",
            "  backprop ui --host 192.168.1.20 other machines can reach it (a warning says so)"})
final class UiCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "The port; 0 picks a free one. Default: 0.")
    int port;

    @Option(names = "--host", paramLabel = "HOST", description = "The address to listen on. Default: 127.0.0.1, this machine only.")
    String host = "127.0.0.1";

    private InetAddress address;

    @Override
    public StoreAccess prepare() {
        if (port < 0 || port > 65535) {
            throw new BadInputException("the port is " + port + ": give one from 1 to 65535, or 0 for any free port");
        }
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new BadInputException("--host " + host + " is not an address of this machine: give one such as 127.0.0.1", e);
        }
        return StoreAccess.WATCH;
    }

    @Override
    public int call(EventStore runStore) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        UiServer server;
        try {
            // --debug (an option of the root command) also prints the stack trace of a request that failed.
            boolean debug = spec.root().userObject() instanceof Main main && main.debug;
            server = UiServer.start(new StoreView(runStore), host, port, debug, err);
        } catch (BindException e) {
            throw new BadInputException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + "): give another --port, or 0 for a free one", e);
        } catch (IOException e) {
            throw new BadInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        if (!address.isLoopbackAddress()) {
            err.println("backprop: warning: serving on " + host + ":" + server.port() + ", so other machines can reach it; anyone"
                    + " with the printed address (and its token) can read every run in the store");
            err.flush();
        }
        out.println("open: " + server.url());
        out.flush();
        // Serve until Ctrl-C (or SIGTERM); then stop serving, and Main closes the store.
        CountDownLatch stopped = new CountDownLatch(1);
        try (SignalStop stop = SignalStop.install(stopped::countDown)) {
            stopped.await();
        } finally {
            server.close();
        }
        return 0;
    }
}
