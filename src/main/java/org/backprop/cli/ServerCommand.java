package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.backprop.store.StoreLocation;
import org.backprop.store.h2.ServerTls;
import org.backprop.store.h2.StoreServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop server}: serves the stores in one folder over TCP, so several processes or machines can share them. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serves the stores in a folder with H2's TCP server until stopped with Ctrl-C.",
            "Every process then names a store there as --db jdbc:h2:tcp://HOST:PORT/NAME",
            "(NAME is the file name without .mv.db). Only the stores in the folder when",
            "the server starts are served: no other database, and no new store (make",
            "stores where they are kept). Clients need a store's credentials: the app and",
            "reader lines of FOLDER/NAME.credentials (never the owner's), in a file of",
            "their own (mode 600) that BACKPROP_CREDENTIALS names, or kept as",
            "~/.config/backprop/credentials/HOST-PORT-NAME.credentials. Never put a",
            "password on a command line. While the server runs, use the stores in that",
            "folder only through it."},
        footer = {"", "Examples:",
            "  backprop server --dir stores       this machine only, port 9092",
            "  BACKPROP_CREDENTIALS=lab-client.credentials \\",
            "      backprop train --db jdbc:h2:tcp://localhost:9092/lab",
            "  backprop server --dir stores --port 9123 --allow-others",
            "                                     TLS; prints its key's fingerprint",
            "  BACKPROP_SERVER_FINGERPRINT=AB:CD:... BACKPROP_CREDENTIALS=lab.credentials \\",
            "      backprop runs --db jdbc:h2:ssl://lab-pc:9123/lab      from another machine"})
final class ServerCommand implements Callable<Integer> {
    /** The password of a keystore given with --keystore: an environment variable, never an argument others could read. */
    static final String KEYSTORE_PASSWORD = "BACKPROP_KEYSTORE_PASSWORD";

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "FOLDER", description = "The folder whose stores are served. Default: the current folder.")
    Path dir = Path.of(".");

    @Option(names = "--port", paramLabel = "PORT", description = "The TCP port; 0 picks a free one. Default: 9092.")
    int port = 9092;

    @Option(names = "--allow-others", description = "Let other machines connect, over TLS only (default: this machine only, on"
            + " the loopback address). Clients trust the server by the SHA-256 fingerprint it prints.")
    boolean allowOthers;

    @Option(names = "--keystore", paramLabel = "FILE", description = "With --allow-others: the server's key and certificate (PKCS12"
            + " or JKS), its password in " + KEYSTORE_PASSWORD + ". Default: a self-signed key made once, kept in"
            + " ~/.config/backprop/server-tls.p12.")
    Path keystore;

    @Override
    public Integer call() throws InterruptedException {
        Path folder = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new BadInputException("the folder " + folder + " does not exist: create it or give another --dir");
        }
        if (port < 0 || port > 65535) {
            throw new BadInputException("the port is " + port + ": give one from 1 to 65535, or 0 for any free port");
        }
        if (keystore != null && !allowOthers) {
            throw new BadInputException("--keystore is for --allow-others: a server for this machine only needs no TLS");
        }
        if (keystore != null && !Files.isRegularFile(keystore)) {
            throw new BadInputException("the keystore " + keystore + " does not exist: give the file of the server's key");
        }
        String password = System.getenv(KEYSTORE_PASSWORD);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoreServer server;
        try {
            server = StoreServer.start(folder, new StoreServer.Options(port, allowOthers, keystore,
                    password == null ? null : password.toCharArray(), StoreLocation.configFolder(System::getenv)),
                    notice -> err.println("backprop: " + PrintableText.escaped(notice)));
        } catch (SQLException e) {
            throw new BadInputException("the server cannot listen on port " + port + " (" + e.getMessage().lines().findFirst().orElse("")
                    + "): give another --port", e);
        }
        if (server.served().isEmpty()) {
            server.close();
            throw new BadInputException("the folder " + folder + " has no backprop store to serve" + skippedNote(server)
                    + ": make one there first, such as 'backprop train --db " + folder.resolve("lab") + "'");
        }
        print(out, folder, server);
        // Serve until the process is stopped; H2 closes the open stores as the JVM shuts down.
        new CountDownLatch(1).await();
        return 0;
    }

    private static String skippedNote(StoreServer server) {
        return server.skipped().isEmpty() ? "" : " (" + PrintableText.escaped(String.join("; ", server.skipped())) + ")";
    }

    private void print(PrintWriter out, Path folder, StoreServer server) {
        String scheme = allowOthers ? "ssl" : "tcp";
        String host = allowOthers ? "HOST" : "localhost";
        int n = server.served().size();
        out.printf("serving %d store%s of %s on port %d (%s)%n", n, n == 1 ? "" : "s", PrintableText.escaped(folder.toString()),
                server.port(), allowOthers ? "every address of this machine, over TLS only: plain connections are refused"
                        : "this machine only, on " + "127.0.0.1; --allow-others lets other machines in, over TLS");
        for (StoreServer.Served s : server.served()) {
            out.printf("  %s  --db jdbc:h2:%s://%s:%d/%s  (%d run%s)%n", PrintableText.escaped(s.name()), scheme, host, server.port(),
                    PrintableText.escaped(s.name()), s.runs(), s.runs() == 1 ? "" : "s");
        }
        for (String skipped : server.skipped()) {
            out.println("  not served: " + PrintableText.escaped(skipped));
        }
        out.printf("use one with:  --db jdbc:h2:%s://%s:%d/NAME%n", scheme, host, server.port());
        ServerTls tls = server.tls();
        if (tls != null) {
            out.printf("TLS certificate: %s (%s), SHA-256 fingerprint %s%n", tls.generated() ? "self-signed, made by backprop" : "from --keystore",
                    PrintableText.escaped(tls.keystore().toString()), tls.fingerprint());
            out.printf("clients trust this server by it:  %s=%s%n", StoreLocation.FINGERPRINT_VARIABLE, tls.fingerprint());
        }
        out.println("nothing else is served: no other file or database, and no new store; no account has admin rights");
        out.printf("clients log in with a store's app and reader credentials: the app and reader lines of %s (never the owner's),"
                + " in a private file they name with %s%n", PrintableText.escaped(folder.resolve("NAME.credentials").toString()),
                StoreLocation.CREDENTIALS_VARIABLE);
        out.println("stop it with Ctrl-C");
        out.flush();
    }
}
