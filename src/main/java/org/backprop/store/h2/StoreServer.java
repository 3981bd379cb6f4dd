package org.backprop.store.h2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.backprop.events.StoreException;
import org.backprop.store.StoreAccess;
import org.backprop.store.StoreLocation;
import org.h2.tools.Server;

/**
 * H2's TCP server over the stores of one folder, so that other processes and machines can share them. It serves the
 * stores that were in the folder when it started, opened by this process (so that no client's settings open them),
 * and nothing else: no other file, no in-memory database, no new store. Clients log in with a store's application or
 * reader credentials; no account has admin rights. It listens on the loopback address, or with {@code allowOthers} on
 * every address and over TLS only.
 */
public final class StoreServer implements AutoCloseable {
    private final Server server;
    private final List<H2EventStore> open;
    private final List<Served> served;
    private final List<String> skipped;
    private final ServerTls tls;

    /** A store being served: the name clients give, and its file. */
    public record Served(String name, Path file, int runs) {
    }

    private StoreServer(Server server, List<H2EventStore> open, List<Served> served, List<String> skipped, ServerTls tls) {
        this.server = server;
        this.open = open;
        this.served = served;
        this.skipped = skipped;
        this.tls = tls;
    }

    /** How the server is to listen: its port (0: any free one), and whether other machines may connect (over TLS). */
    public record Options(int port, boolean allowOthers, Path keystore, char[] keystorePassword, Path configFolder) {
    }

    /**
     * Opens the stores in {@code folder} and serves them. A port that cannot be listened on is an {@link SQLException};
     * {@code notices} hears what opening the stores had to say.
     */
    public static StoreServer start(Path folder, Options options, Consumer<String> notices) throws SQLException {
        // Every address is for --allow-others alone, in a process that serves nothing else; loopback otherwise.
        H2Process.ensure(options.allowOthers() ? null : H2Process.LOOPBACK);
        ServerTls tls = options.allowOthers() ? ServerTls.install(options.keystore(), options.keystorePassword(), options.configFolder()) : null;
        List<H2EventStore> open = new ArrayList<>();
        List<Served> served = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, String> databases = new LinkedHashMap<>();
        try {
            for (Path data : storeFiles(folder)) {
                String name = data.getFileName().toString().replaceFirst("\\.mv\\.db$", "");
                StoreLocation file = StoreLocation.of(folder.resolve(name).toString());
                // Opened without AUTO_SERVER: this process alone serves the store, through the server below.
                StoreLocation unshared = new StoreLocation(file.unsharedUrl(), file.file());
                try {
                    // Writable: the clients record runs through it (a reading open would open a file nobody serves read-only).
                    H2EventStore store = H2EventStore.open(unshared, StoreAccess.WRITE, notices);
                    open.add(store);
                    served.add(new Served(name, data, store.runs().size()));
                    databases.put(name, file.databaseName());
                } catch (StoreException e) {
                    skipped.add(data.getFileName() + ": " + e.getMessage());
                }
            }
            List<String> args = new ArrayList<>(List.of("-tcpPort", Integer.toString(options.port()), "-baseDir", folder.toString(), "-ifExists"));
            if (options.allowOthers()) {
                args.addAll(List.of("-tcpAllowOthers", "-tcpSSL"));
            }
            Server server = new Server(new StoreTcpServer(databases), args.toArray(String[]::new)).start();
            return new StoreServer(server, open, served, skipped, tls);
        } catch (SQLException | RuntimeException e) {
            open.forEach(H2EventStore::close);
            throw e;
        }
    }

    private static List<Path> storeFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".mv.db") && !f.getFileName().toString().contains(".creating-"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new StoreException("the folder " + folder + " cannot be listed: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The stores served, by name. */
    public List<Served> served() {
        return served;
    }

    /** The files of the folder that are not served, each with why. */
    public List<String> skipped() {
        return skipped;
    }

    /** The TLS key clients see, for a server that lets other machines in; null otherwise. */
    public ServerTls tls() {
        return tls;
    }

    @Override
    public void close() {
        server.stop();
        open.forEach(H2EventStore::close);
    }
}
