package org.backprop.store.h2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import jdk.jfr.FlightRecorder;
import org.backprop.events.StoreException;
import org.backprop.events.StoreFaultException;
import org.backprop.model.BackpropException;
import org.backprop.store.StoreAccess;
import org.backprop.store.StoreLocation;
import org.h2.api.ErrorCode;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.JdbiStatementEvent;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * Opening an H2 store: creating a file store when asked ({@link StoreCreation}), refusing a file that is not a
 * store, connecting as the application's user with the store's own credentials, and, in the process that holds the
 * file, migrating an older schema and giving a store from before credentials its own.
 */
final class H2Opening {
    private static final NamedParameters PARSER = new NamedParameters();

    /** The application's connection to an open store, a Jdbi that makes more of them, and the store's credentials. */
    record Opened(StoreLocation location, Jdbi jdbi, Connection connection, StoreCredentials credentials) {
    }

    private H2Opening() {
    }

    /** The store's SQL has no templates; Jdbi's default template engine and parser would load ANTLR at start-up. */
    static Jdbi configured(Jdbi jdbi) {
        jdbi.getConfig(SqlStatements.class).setSqlParser(PARSER).setTemplateEngine(TemplateEngine.NOP);
        return jdbi;
    }

    /**
     * Opens the store as {@code access} allows: only {@link StoreAccess#CREATE} makes a store that is not there.
     * {@code notices} hears what the person running the command should know (an old store given its own credentials).
     */
    static Opened open(StoreLocation location, StoreAccess access, Consumer<String> notices) {
        H2Process.ensure();
        AtomicReference<Account> app = new AtomicReference<>();
        AtomicReference<StoreLocation> chosen = new AtomicReference<>(location);
        FutureTask<Jdbi> jdbi = new FutureTask<>(() -> setUpJdbi(chosen, app, access != StoreAccess.READ));
        // Jdbi's set-up costs about 80 ms of a short command, and H2 about as much opening the file: side by side.
        Thread setUp = new Thread(jdbi, "backprop-jdbi-set-up");
        setUp.setDaemon(true);
        setUp.start();
        Connected connected;
        StoreLocation opened;
        try {
            opened = access == StoreAccess.READ ? forReading(location, notices) : location;
            chosen.set(opened);
            connected = connectSurvivingHandover(opened, access, notices);
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
        // The web page watches as the reader; every other command works as the application.
        app.set(access == StoreAccess.WATCH ? connected.credentials().reader() : connected.credentials().app());
        try {
            return new Opened(opened, jdbi.get(), connected.connection(), connected.credentials());
        } catch (InterruptedException | ExecutionException e) {
            closeQuietly(connected.connection());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StoreException("the store " + location.describe() + " cannot be opened: " + e, e);
        }
    }

    /**
     * Makes a store ready for a command that only reads it, which then reads it read-only (so that no byte of the file
     * changes) or through the server of the process that holds it ({@link StoreHost}). A store that needs migrating, or
     * credentials of its own, gets them first: the one write a read may cause.
     */
    private static StoreLocation forReading(StoreLocation location, Consumer<String> notices) throws SQLException, IOException {
        if (location.file() == null || !location.exists()) {
            return location;
        }
        boolean current = false;
        if (location.credentialsFile() != null && Files.exists(location.credentialsFile())) {
            Optional<StoreCredentials> stored = StoreCredentials.read(location.credentialsFile());
            if (stored.isPresent()) {
                for (int attempt = 0; ; attempt++) {
                    try (Connection app = connectAppUser(location, stored.get().app(), false)) {
                        current = Schema.version(app) == Schema.CURRENT_VERSION;
                        break;
                    } catch (SQLException e) {
                        // The process serving the store let it go as this one looked: look again, writing nothing.
                        if (!H2Errors.isConnectionLost(e) || attempt == HANDOVER_ATTEMPTS) {
                            break;
                        }
                    }
                }
            }
        }
        if (!current) {
            connect(location, StoreAccess.WRITE, notices).connection().close();
        }
        return location;
    }

    /** Jdbi's connections are the application's (or the reader's), known once the store is open (before Jdbi connects). */
    private static Jdbi setUpJdbi(AtomicReference<StoreLocation> chosen, AtomicReference<Account> app, boolean mayHost) {
        Jdbi jdbi = configured(Jdbi.create(() -> readOnlyIfReader(StoreHost.connect(chosen.get(), app.get(), mayHost), app.get())));
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

    /** The application's connection and the credentials it was made with. */
    private record Connected(Connection connection, StoreCredentials credentials) {
    }

    /** A connection of the reader account is made read-only too, so that the database refuses its writes twice. */
    private static Connection readOnlyIfReader(Connection c, Account account) throws SQLException {
        if (StoreCredentials.READER.equals(account.user())) {
            c.setReadOnly(true);
        }
        return c;
    }

    /** How often opening is tried again when the process serving a file store lets it go as this one opens it. */
    private static final int HANDOVER_ATTEMPTS = 20;

    /**
     * Connects and sets up, again from the start when the connection breaks on the way: the process serving a file
     * store exited as this one was opening it through that process, and another serves it now.
     */
    private static Connected connectSurvivingHandover(StoreLocation location, StoreAccess access, Consumer<String> notices)
            throws SQLException, IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return connect(location, access, notices);
            } catch (SQLException | RuntimeException e) {
                if (location.file() == null || !H2Errors.isConnectionLost(e) || attempt == HANDOVER_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static Connected connect(StoreLocation location, StoreAccess access, Consumer<String> notices) throws SQLException, IOException {
        boolean create = access == StoreAccess.CREATE;
        boolean writes = access == StoreAccess.CREATE || access == StoreAccess.WRITE;
        if (!location.exists()) {
            if (!create) {
                throw new StoreException("there is no store at " + location.describe() + " (nothing was created): give the --db of an"
                        + " existing store, or record a run there first with 'backprop train --db " + location.file() + "'");
            }
            var parent = location.file().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new StoreException("the folder " + parent + " does not exist: create it or give another --db path");
            }
            StoreCreation.createFile(location);
        }
        Login login = login(location, access != StoreAccess.READ);
        Connection app = login.connection();
        try {
            int version = Schema.version(app);
            if (version > Schema.CURRENT_VERSION) {
                throw new StoreException("the store " + location.describe() + " was written by a newer backprop (schema " + version
                        + ", this program knows up to " + Schema.CURRENT_VERSION + "): use a newer backprop or another --db");
            }
            Optional<Connection> admin = AdminSession.of(app);
            if (admin.isEmpty()) {
                if (version < Schema.CURRENT_VERSION) {
                    throw new StoreException("the store " + location.describe() + " is open in an older backprop (schema " + version
                            + "), which serves it to this one: stop that process, so that this one can bring the store up to schema "
                            + Schema.CURRENT_VERSION);
                }
                if (login.legacy() != null) {
                    notices.accept("the store " + location.describe() + " still has the fixed passwords of backprop 0.2 and older, since"
                            + " another process has it open: it gets credentials of its own when backprop next opens it alone");
                }
                return new Connected(watching(location, access, app, login.credentials()), login.credentials());
            }
            try (Connection a = admin.get()) {
                if (version < Schema.CURRENT_VERSION) {
                    Schema.migrate(() -> adminOf(app));
                }
                StoreCredentials credentials = login.credentials();
                if (login.legacy() != null || StoreUsers.anyAdmin(a)) {
                    credentials = giveOwnCredentials(location, login, a);
                    restrictFiles(location);
                    if (login.legacy() != null) {
                        notices.accept("the store " + location.describe() + " had the fixed passwords of backprop 0.2 and older: it has"
                                + " credentials of its own now, in " + credentials.file() + " (readable by you only; keep it with the store)");
                    }
                }
                if (writes) {
                    Schema.writeCommitsAtOnce(a);
                }
                return new Connected(watching(location, access, app, credentials), credentials);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(app);
            throw e;
        }
    }

    /** For a store opened to watch, the store's own connection is the reader's, read-only, instead of the application's. */
    private static Connection watching(StoreLocation location, StoreAccess access, Connection app, StoreCredentials credentials)
            throws SQLException {
        if (access != StoreAccess.WATCH) {
            return app;
        }
        Connection reader = connectAppUser(location, credentials.reader(), true);
        reader.setReadOnly(true);
        closeQuietly(app);
        return reader;
    }

    static Connection adminOf(Connection app) {
        try {
            return AdminSession.of(app).orElseThrow();
        } catch (SQLException e) {
            throw new StoreException("no admin session for the store's migration: " + H2Errors.firstLine(e.getMessage()), e);
        }
    }

    /**
     * Replaces the fixed passwords of an old store by its own, written to its credentials file first (so that a process
     * killed in between finds them there next time, and finishes the change with them).
     */
    private static StoreCredentials giveOwnCredentials(StoreLocation location, Login login, Connection admin) throws SQLException, IOException {
        StoreCredentials credentials = login.credentials();
        if (login.legacy() != null && login.fromFile() == null) {
            Path file = location.credentialsFile();
            if (file == null) {
                throw new StoreException("the store " + location.describe() + " has the fixed passwords of backprop 0.2: open it where"
                        + " its file is, so that its credentials can be kept beside it");
            }
            credentials = StoreCredentials.generate(file);
            credentials.write(location.describe());
        } else if (login.fromFile() != null) {
            credentials = login.fromFile();
        }
        StoreUsers.secure(admin, credentials);
        return credentials;
    }

    /** The application's connection, and how it was made: with the credentials file, or with schema 1's password. */
    private record Login(Connection connection, StoreCredentials credentials, StoreCredentials fromFile, Account legacy) {
    }

    /**
     * Connects as the application with the store's credentials file. A store made before stores had credentials of their
     * own still opens with schema 1's password, once: the caller then replaces it.
     */
    private static Login login(StoreLocation location, boolean mayHost) throws SQLException {
        Path file = location.credentialsFile();
        Optional<StoreCredentials> stored = file == null ? Optional.empty() : StoreCredentials.read(file);
        if (stored.isPresent()) {
            try {
                return new Login(connectAppUser(location, stored.get().app(), mayHost), stored.get(), stored.get(), null);
            } catch (SQLException e) {
                if (!isWrongPassword(e)) {
                    throw notAStore(location, e);
                }
                if (location.file() == null) {
                    throw new StoreException("the credentials in " + file + " do not open the store " + location.describe()
                            + " (wrong user or password): ask the server's owner for the app and reader lines of its credentials file", e);
                }
                Account legacy = LegacyPasswords.of(StoreCredentials.APP).orElseThrow();
                try {
                    // A change to credentials of its own was cut short: the file has them, the store not yet.
                    Connection old = connectAppUser(location, legacy, mayHost);
                    return new Login(old, stored.get(), stored.get(), legacy);
                } catch (SQLException again) {
                    throw new StoreException("the credentials in " + file + " do not open the store " + location.describe()
                            + " (wrong user or password): give the credentials file that was made with the store", e);
                }
            }
        }
        Account legacy = LegacyPasswords.of(StoreCredentials.APP).orElseThrow();
        try {
            Connection old = connectAppUser(location, legacy, mayHost);
            return new Login(old, new StoreCredentials(file, null, legacy, LegacyPasswords.of(StoreCredentials.READER).orElseThrow()),
                    null, legacy);
        } catch (SQLException e) {
            if (isWrongPassword(e)) {
                throw location.file() != null
                        ? new StoreException(location.describe() + " is not a backprop store (it is an H2 database, but it has no"
                                + " credentials file beside it, " + file + ", and backprop 0.2's passwords do not open it): give"
                                + " another --db path, or put the store's credentials file back beside it", e)
                        : new StoreException("no credentials for " + location.describe() + ": set " + StoreLocation.CREDENTIALS_VARIABLE
                                + " to a file with the store's app and reader lines (the server's owner has them)"
                                + (file == null ? "" : ", or keep them as " + file), e);
            }
            throw notAStore(location, e);
        }
    }

    private static boolean isWrongPassword(SQLException e) {
        return e.getErrorCode() == ErrorCode.WRONG_USER_OR_PASSWORD || "28000".equals(e.getSQLState());
    }

    /** Takes other users' access away from the files of a store made by an older backprop, which the umask made. */
    private static void restrictFiles(StoreLocation location) throws IOException {
        if (location.file() != null) {
            OwnerOnlyFiles.restrict(location.dataFile());
            OwnerOnlyFiles.restrict(Path.of(location.file() + ".lock.db"));
            OwnerOnlyFiles.restrict(Path.of(location.file() + ".trace.db"));
        }
    }

    /**
     * The application's connection to a store that exists. A passing state is waited out for a few seconds: the
     * process serving the store is closing it and another is taking over (AUTO_SERVER).
     */
    private static Connection connectAppUser(StoreLocation location, Account app, boolean mayHost) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                if (location.url().startsWith("jdbc:h2:ssl:")) {
                    if (location.serverFingerprint() == null) {
                        throw new StoreException("the store " + location.describe() + " is on a TLS server: set "
                                + StoreLocation.FINGERPRINT_VARIABLE + " to the SHA-256 fingerprint the server printed, so that this"
                                + " process trusts that server and no other");
                    }
                    ServerTls.trustOnly(location.serverFingerprint());
                }
                return StoreHost.connect(location, app, mayHost);
            } catch (SQLException e) {
                if (!H2Errors.isConnectionLost(e) || attempt == 40) {
                    throw e;
                }
                H2Errors.pause(e);
            }
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

    private static RuntimeException notAStore(StoreLocation location, SQLException e) {
        if (location.file() == null) {
            boolean missing = e.getErrorCode() == ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1
                    || e.getErrorCode() == ErrorCode.REMOTE_DATABASE_NOT_FOUND_1;
            return new StoreException(missing
                    ? "the server has no store " + location.describe() + " (nothing was created): check the name after the port;"
                            + " a server serves only the stores in its folder, which are made where they are kept ('backprop train --db FOLDER/NAME')"
                    : e.getMessage() != null && e.getMessage().contains("unexpected status")
                    ? "the server of " + location.describe() + " does not answer as a plain H2 server does: if it serves over TLS"
                            + " (server --allow-others), name it as jdbc:h2:ssl://"
                    : "the store " + location.describe() + " cannot be reached: " + H2Errors.firstLine(e.getMessage()), e);
        }
        if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
            return new StoreException("the store " + location.describe() + " is open in another process, and this one needs it to itself:"
                    + " stop that process first (or use the store through it)", e);
        }
        if (causedBy(e, java.nio.file.AccessDeniedException.class)) {
            return new StoreException("the store " + location.describe() + " cannot be opened by this user (permission denied): a store is"
                    + " opened by its owner, or through 'backprop server'", e);
        }
        if (e.getErrorCode() == ErrorCode.FILE_CORRUPTED_1 || e.getErrorCode() == ErrorCode.FILE_VERSION_ERROR_1
                || causedBy(e, org.h2.mvstore.MVStoreException.class)) {
            // A file that starts as H2's do is a store gone bad (or a disk failing under it), not another kind of file.
            if (isH2File(location) && H2Errors.fault(e) != null) {
                return H2Errors.faultOf(e, location.describe(), "run the command again");
            }
            return new StoreException(location.describe() + " is not a backprop store (it is not an H2 database file): give another --db path", e);
        }
        return new StoreException("the store " + location.describe() + " cannot be opened: " + H2Errors.firstLine(e.getMessage()), e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
