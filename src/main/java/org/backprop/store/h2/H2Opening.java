package org.backprop.store.h2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.FlightRecorder;
import org.backprop.events.StoreException;
import org.backprop.model.BackpropException;
import org.backprop.events.StoreFaultException;
import org.backprop.store.StoreAccess;
import org.backprop.store.StoreLocation;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.JdbiStatementEvent;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * Opening an H2 store: creating a file store whole or not at all, refusing a file that is not a store, migrating an
 * older schema, and connecting as the application's user.
 */
final class H2Opening {
    private static final NamedParameters PARSER = new NamedParameters();
    private static final String CREATING = ".creating-";

    /** The application's connection to an open store, and a Jdbi that makes more of them. */
    record Opened(StoreLocation location, Jdbi jdbi, Connection connection) {
    }

    private H2Opening() {
    }

    /** The store's SQL has no templates; Jdbi's default template engine and parser would load ANTLR at start-up. */
    static Jdbi configured(Jdbi jdbi) {
        jdbi.getConfig(SqlStatements.class).setSqlParser(PARSER).setTemplateEngine(TemplateEngine.NOP);
        return jdbi;
    }

    /** Opens the store as {@code access} allows: only {@link StoreAccess#CREATE} makes a store that is not there. */
    static Opened open(StoreLocation location, StoreAccess access) {
        AtomicReference<StoreLocation> chosen = new AtomicReference<>(location);
        boolean watching = access == StoreAccess.WATCH;
        FutureTask<Jdbi> jdbi = new FutureTask<>(() -> setUpJdbi(chosen, watching));
        // Jdbi's set-up costs about 80 ms of a short command, and H2 about as much opening the file: side by side.
        Thread setUp = new Thread(jdbi, "backprop-jdbi-set-up");
        setUp.setDaemon(true);
        setUp.start();
        Connection app;
        StoreLocation opened;
        try {
            opened = access == StoreAccess.READ ? forReading(location) : location;
            chosen.set(opened);
            app = connectApp(opened, access);
        } catch (SQLException | IOException | RuntimeException e) {
            if (e instanceof BackpropException decided) {
                throw decided;
            }
            StoreFaultException fault = H2Errors.faultOf(e, location.describe(), "run the command again (nothing was written)");
            if (fault != null) {
                throw fault;
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException("the store " + location.describe() + " cannot be opened: " + H2Errors.firstLine(e.getMessage()), e);
        }
        try {
            return new Opened(opened, jdbi.get(), app);
        } catch (InterruptedException | ExecutionException e) {
            closeQuietly(app);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StoreException("the store " + location.describe() + " cannot be opened: " + e, e);
        }
    }

    /**
     * Where a command that only reads opens the store: read-only, so that no byte of the file changes, unless another
     * process holds it and serves it, whose server it then reads through. A store that needs migrating is migrated
     * first (the one write a read may cause), then read read-only too.
     */
    private static StoreLocation forReading(StoreLocation location) throws SQLException, IOException {
        if (location.file() == null || !location.exists() || StoreHolder.isServing(location)) {
            return location;
        }
        StoreLocation readOnly = location.readOnly();
        int version;
        try (Connection app = connectAppUser(readOnly)) {
            version = Schema.version(app);
        } catch (SQLException e) {
            throw notAStore(location, e);
        }
        if (version < Schema.CURRENT_VERSION) {
            connectApp(location, StoreAccess.WRITE).close();
        }
        return readOnly;
    }

    private static Jdbi setUpJdbi(AtomicReference<StoreLocation> chosen, boolean watching) {
        // Whether the file is opened read-only is decided while this runs; connections are made from the decision.
        Jdbi jdbi = configured(Jdbi.create(() -> connectUser(chosen.get(), watching)));
        // Jdbi registers its statement event with the Flight Recorder at its first statement, which starts the
        // recorder's machinery (60 ms); registering it here first does that off the command's path. Idempotent.
        if (FlightRecorder.isAvailable()) {
            FlightRecorder.register(JdbiStatementEvent.class);
        }
        return jdbi;
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Only letting go of a connection nobody will use.
        }
    }

    private static Connection connectApp(StoreLocation location, StoreAccess access) throws SQLException, IOException {
        boolean create = access == StoreAccess.CREATE;
        if (!location.exists()) {
            if (!create) {
                throw new StoreException("there is no store at " + location.describe() + " (nothing was created): give the --db of an"
                        + " existing store, or record a run there first with 'backprop train --db " + location.file() + "'");
            }
            var parent = location.file().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new StoreException("the folder " + parent + " does not exist: create it or give another --db path");
            }
            createFile(location);
        }
        Connection app;
        try {
            app = connectUser(location, access == StoreAccess.WATCH);
        } catch (SQLException e) {
            // A server URL naming a store the server does not have yet: create it there, as a file path would.
            boolean missing = e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1
                    || e.getErrorCode() == org.h2.api.ErrorCode.REMOTE_DATABASE_NOT_FOUND_1;
            if (location.file() == null && missing) {
                if (!create) {
                    throw new StoreException("there is no store " + location.describe() + " (nothing was created): check the name after"
                            + " the port, or record a run there first with 'backprop train --db " + location.url() + "'", e);
                }
                return create(location);
            }
            throw notAStore(location, e);
        }
        int version = Schema.version(app);
        if (version > Schema.CURRENT_VERSION) {
            app.close();
            throw new StoreException("the store " + location.describe() + " was written by a newer backprop (schema " + version
                    + ", this program knows up to " + Schema.CURRENT_VERSION + "): use a newer backprop or another --db");
        }
        if (version < Schema.CURRENT_VERSION) {
            Schema.migrate(location.url());
        }
        if (access == StoreAccess.CREATE || access == StoreAccess.WRITE) {
            Schema.writeCommitsAtOnce(location.url());
        }
        return app;
    }

    /**
     * Creates a file store whole or not at all: it is set up under a temporary name and then linked into place, so a
     * process killed meanwhile leaves no half-made store behind, and of two processes creating it at once one wins.
     */
    private static void createFile(StoreLocation location) throws SQLException, IOException {
        Path folder = location.file().toAbsolutePath().getParent();
        String name = location.file().getFileName().toString();
        removeAbandonedCreations(folder, name);
        Path temporary = folder.resolve(name + CREATING + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path temporaryData = Path.of(temporary + ".mv.db");
        try {
            String url = "jdbc:h2:file:" + temporary;
            try (Connection owner = Schema.connect(url, Schema.OWNER, Schema.OWNER_PASSWORD); Statement s = owner.createStatement()) {
                Schema.migrate(url);
                s.execute("SHUTDOWN");
            }
            try {
                Files.createLink(location.dataFile(), temporaryData);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Another process created the store first: use that one.
            } catch (UnsupportedOperationException | IOException e) {
                if (!Files.exists(location.dataFile())) {
                    Files.move(temporaryData, location.dataFile());
                }
            }
        } finally {
            Files.deleteIfExists(temporaryData);
            Files.deleteIfExists(Path.of(temporary + ".trace.db"));
        }
    }

    /** Deletes the temporary files of creations whose process was killed before it could link the store into place. */
    private static void removeAbandonedCreations(Path folder, String name) throws IOException {
        try (var files = Files.newDirectoryStream(folder, name + CREATING + "*.mv.db")) {
            for (Path f : files) {
                String rest = f.getFileName().toString().substring((name + CREATING).length());
                int dash = rest.indexOf('-');
                if (dash > 0 && rest.substring(0, dash).matches("[0-9]{1,18}")
                        && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isEmpty()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * The application's connection to a store that exists. Two passing states are waited out for a few seconds: the
     * process serving the store is closing it and another is taking over (AUTO_SERVER), and through a server, a store
     * another process is creating exists before its users do.
     */
    private static Connection connectAppUser(StoreLocation location) throws SQLException {
        return connectUser(location, false);
    }

    /** The application's connection, or with {@code reader} a read-only one of the user that may only select. */
    private static Connection connectUser(StoreLocation location, boolean reader) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                if (reader) {
                    Connection c = Schema.connect(ifExists(location.url()), Schema.READER, Schema.READER_PASSWORD);
                    c.setReadOnly(true);
                    return c;
                }
                return Schema.connect(ifExists(location.url()), Schema.APP, Schema.APP_PASSWORD);
            } catch (SQLException e) {
                boolean passing = H2Errors.isConnectionLost(e) || location.file() == null && "28000".equals(e.getSQLState());
                if (!passing || attempt == 40) {
                    throw e;
                }
                H2Errors.pause(e);
            }
        }
    }

    /** Owner first, so the database is created with the owner as its admin and the app as a restricted user. */
    private static Connection create(StoreLocation location) throws SQLException {
        try (Connection owner = Schema.connect(location.url(), Schema.OWNER, Schema.OWNER_PASSWORD)) {
            Schema.migrate(location.url());
            Schema.writeCommitsAtOnce(location.url());
            return Schema.connect(location.url(), Schema.APP, Schema.APP_PASSWORD);
        }
    }

    /** Whether the file starts as every H2 store file does, with its file header block. */
    private static boolean isH2File(StoreLocation location) {
        try (var in = Files.newInputStream(location.dataFile())) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'H' && head[1] == ':' && head[2] == '2' && head[3] == ',';
        } catch (IOException e) {
            return false;
        }
    }

    private static String ifExists(String url) {
        return url.contains(";IFEXISTS=") ? url : url + ";IFEXISTS=TRUE";
    }

    private static RuntimeException notAStore(StoreLocation location, SQLException e) {
        if (location.file() != null && H2Errors.fault(e) != null && isH2File(location)) {
            return H2Errors.faultOf(e, location.describe(), "run the command again");
        }
        // 28000: the file is an H2 database, but not one with backprop's users; anything else: not H2 at all.
        String why = "28000".equals(e.getSQLState()) ? "it is an H2 database but not a backprop store"
                : location.file() != null ? "it is not an H2 database file" : H2Errors.firstLine(e.getMessage());
        return new StoreException(location.describe() + " is not a backprop store (" + why + "): give another --db path", e);
    }
}
