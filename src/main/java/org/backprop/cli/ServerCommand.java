package org.backprop.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.backprop.store.h2.StoreServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop server}: serves the stores in one folder over TCP, so several processes or machines can share them. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serves the stores in a folder with H2's TCP server until stopped with Ctrl-C. Every process then names a",
            "store there as --db jdbc:h2:tcp://HOST:PORT/NAME (NAME is the file name without .mv.db); a new NAME creates",
            "a store in the folder. While the server runs, use the stores in that folder only through it."},
        footer = {"", "Examples:",
            "  backprop server --dir stores                     this machine only, port 9092",
            "  backprop train --db jdbc:h2:tcp://localhost:9092/lab",
            "  backprop server --dir stores --port 9123 --allow-others",
            "  backprop runs --db jdbc:h2:tcp://lab-pc:9123/lab  from another machine"})
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "FOLDER", description = "The folder whose stores are served. Default: the current folder.")
    Path dir = Path.of(".");

    @Option(names = "--port", paramLabel = "PORT", description = "The TCP port; 0 picks a free one. Default: 9092.")
    int port = 9092;

    @Option(names = "--allow-others", description = "Let other machines connect (default: this machine only). The stores' users"
            + " have fixed passwords, so do this on a trusted network only.")
    boolean allowOthers;

    @Override
    public Integer call() throws InterruptedException {
        Path folder = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new BadInputException("the folder " + folder + " does not exist: create it or give another --dir");
        }
        if (port < 0 || port > 65535) {
            throw new BadInputException("the port is " + port + ": give one from 1 to 65535, or 0 for any free port");
        }
        StoreServer server;
        try {
            server = StoreServer.start(folder, port, allowOthers);
        } catch (SQLException e) {
            throw new BadInputException("the server cannot listen on port " + port + " (" + e.getMessage().lines().findFirst().orElse("")
                    + "): give another --port", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        String host = allowOthers ? "HOST" : "localhost";
        out.printf("serving the stores in %s on port %d (%s)%n", folder, server.port(),
                allowOthers ? "other machines may connect" : "this machine only; --allow-others lets other machines in");
        out.printf("use one with:  --db jdbc:h2:tcp://%s:%d/NAME   for example:%n", host, server.port());
        out.printf("  backprop train --db jdbc:h2:tcp://%s:%d/backprop-store%n", host, server.port());
        out.printf("  backprop runs --db jdbc:h2:tcp://%s:%d/backprop-store%n", host, server.port());
        out.println("stop it with Ctrl-C");
        out.flush();
        // Serve until the process is stopped; H2 closes the open stores as the JVM shuts down.
        new CountDownLatch(1).await();
        return 0;
    }
}
