package org.backprop.store.h2;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.backprop.events.StoreException;
import org.backprop.store.StoreLocation;

/**
 * How the processes that use one file store at once reach it. With AUTO_SERVER the process that opens the file serves
 * it to the others, and when that process exits they all race to open it themselves: H2's lock-file protocol makes
 * each loser wait two to six seconds, and rewrites the lock file as it checks, so that the next one waits too (eight
 * writers spent most of their time so). Here the processes take turns under an operating-system lock on the store's
 * credentials file: one opens the file and serves it, every other connects straight to the server its lock file names.
 * A lock file whose server is gone and whose data file nobody holds was left by a killed process, and is removed.
 */
final class StoreHost {
    private static final String AUTO_SERVER = ";AUTO_SERVER=TRUE";
    private static final String READ_ONLY = ";ACCESS_MODE_DATA=r";
    private static final int PROBE_MILLIS = 500;
    /** The longest a handover from one serving process to the next is waited for. */
    private static final long HANDOVER_NANOS = 60_000_000_000L;
    /** A lock file without a server is a holder starting one, for this long; after it, a holder that serves nobody. */
    private static final long STARTING_MILLIS = 10_000;

    /** The lock ids of the stores this process opened itself, and serves. */
    private static final Map<Path, String> SERVED = new ConcurrentHashMap<>();
    /** How many read-only connections this process has open to each store, whose data file lock a probe must not touch. */
    private static final Map<Path, Integer> READING = new ConcurrentHashMap<>();
    /** Threads of one process take their turns one at a time (the operating system's lock is per process). */
    private static final Object TURN = new Object();

    private StoreHost() {
    }

    /**
     * A connection of {@code account} to the store: through the server of the process that holds the file, or to the
     * file itself. A process that may not write it ({@code mayHost} false) reads a file nobody holds read-only.
     */
    static Connection connect(StoreLocation location, Account account, boolean mayHost) throws SQLException {
        if (!isShared(location)) {
            Connection c = account.connect(ifExists(location.url()));
            return location.file() != null && location.url().contains(READ_ONLY) ? reading(location.file(), c) : c;
        }
        long deadline = System.nanoTime() + HANDOVER_NANOS;
        for (int attempt = 0; ; attempt++) {
            HostLock lock = HostLock.read(location.lockFile());
            try {
                if (lock.id() != null && lock.id().equals(SERVED.get(location.file()))) {
                    return account.connect(ifExists(location.url()));
                }
                if (lock.server() != null && isListening(lock.server())) {
                    return account.connect(lock.directUrl(options(location)));
                }
                Connection opened = takeTurn(location, account, mayHost);
                if (opened != null) {
                    return opened;
                }
            } catch (SQLException e) {
                // The serving process left between the look at its lock file and the connection, or another opened the
                // file first: look again.
                if (!H2Errors.isConnectionLost(e) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new StoreException("the store " + location.describe() + " is held by another process that has not served it to others"
                        + " for a minute (its lock file is " + location.lockFile() + "): stop that process, or use the store through it");
            }
            pause(attempt);
        }
    }

    /**
     * This process's turn at the store: it opens the file itself when nobody holds it (or reads it, when it may not
     * write it), and returns null when another process serves it or is starting or stopping to, so that the caller
     * looks again.
     */
    private static Connection takeTurn(StoreLocation location, Account account, boolean mayHost) throws SQLException {
        synchronized (TURN) {
            try (TurnLock turn = TurnLock.take(location)) {
                HostLock lock = HostLock.read(location.lockFile());
                if (lock.exists() && (lock.server() != null && isListening(lock.server()) || !removeIfAbandoned(location, lock))) {
                    return null;
                }
                if (!mayHost) {
                    // A process that was serving the store may still be closing it (H2 removes the lock file before
                    // its last write): a read of a file being written would find it half-written.
                    if (!READING.containsKey(location.file()) && isDataFileHeld(location)) {
                        return null;
                    }
                    return reading(location.file(), account.connect(ifExists(location.readOnly().url())));
                }
                if (isDataFileHeld(location)) {
                    // Read by a process that opened it read-only: it lets go in a moment.
                    return null;
                }
                Connection c = account.connect(ifExists(location.url()));
                try {
                    Optional<Connection> admin = AdminSession.of(c);
                    if (admin.isPresent()) {
                        try (Connection a = admin.get()) {
                            // A process that took the store over when its server left serves it as the first one did.
                            Schema.writeCommitsAtOnce(a);
                        }
                        String id = HostLock.read(location.lockFile()).id();
                        if (id != null) {
                            SERVED.put(location.file(), id);
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    H2Opening.closeQuietly(c);
                    throw e;
                }
                return c;
            } catch (IOException e) {
                throw new SQLException("the turn lock of " + location.describe() + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Removes the lock file when its holder is gone: it names no server that answers and nobody holds the data file.
     * False while a holder is there: starting, serving, or stopping (it deletes the lock file last). A holder that
     * keeps the file without serving it (a {@code backprop server}) is refused at once.
     */
    private static boolean removeIfAbandoned(StoreLocation location, HostLock lock) {
        if (!lock.exists()) {
            return true;
        }
        boolean starting = lock.server() == null && System.currentTimeMillis() - lock.modifiedMillis() < STARTING_MILLIS;
        if (starting || isDataFileHeld(location)) {
            if (lock.server() == null && !starting) {
                throw new StoreException("the store " + location.describe() + " is open in another process that does not share it"
                        + " (a 'backprop server', say): use it through that server's jdbc:h2:tcp:// URL, or stop that process");
            }
            return false;
        }
        try {
            // Only the file looked at: a process that took the store over meanwhile wrote a new one.
            if (HostLock.read(location.lockFile()).equals(lock)) {
                Files.deleteIfExists(location.lockFile());
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A read-only connection, counted while it is open. */
    private static Connection reading(Path file, Connection c) {
        READING.merge(file, 1, Integer::sum);
        AtomicBoolean closed = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0 && closed.compareAndSet(false, true)) {
                READING.computeIfPresent(file, (f, n) -> n == 1 ? null : n - 1);
            }
            try {
                return method.invoke(c, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /**
     * Whether a process holds the store's data file open (H2 locks it while it has it). Never asked while this process
     * reads the file: closing a second channel on a file lets go of every lock the process holds on it (POSIX). (While
     * this process serves the store, the lock file is its own and nobody asks.)
     */
    private static boolean isDataFileHeld(StoreLocation location) {
        if (READING.containsKey(location.file())) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(location.dataFile(), StandardOpenOption.READ)) {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean isShared(StoreLocation location) {
        return location.file() != null && location.url().contains(AUTO_SERVER);
    }

    /** The options given with the store's path, which a connection through its server carries too. */
    private static String options(StoreLocation location) {
        String url = location.url();
        int semicolon = url.indexOf(';');
        return url.substring(semicolon).replace(AUTO_SERVER, "");
    }

    static String ifExists(String url) {
        return url.contains(";IFEXISTS=") ? url : url + ";IFEXISTS=TRUE";
    }

    static boolean isListening(String server) {
        int colon = server.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1))), PROBE_MILLIS);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(100, 5L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store", e);
        }
    }

    /** The operating-system lock that gives one process at a time its turn at a store, held on its credentials file. */
    private record TurnLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        static TurnLock take(StoreLocation location) throws IOException {
            Path file = location.credentialsFile();
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException | AccessDeniedException e) {
                // A store from before credentials, or another user's: no turns to take, and H2's own protocol decides.
                return new TurnLock(null, null);
            }
            try {
                return new TurnLock(channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                // Closing the channel releases its lock.
                channel.close();
            }
        }
    }

    /** What a store's lock file says: whether there is one, the server its holder started (if any) and the key to it. */
    record HostLock(boolean exists, String server, String id, long modifiedMillis) {
        static final HostLock NONE = new HostLock(false, null, null, 0);

        static HostLock read(Path file) {
            Properties p = new Properties();
            long modified;
            try {
                modified = Files.getLastModifiedTime(file).toMillis();
                try (var in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                    p.load(in);
                }
            } catch (NoSuchFileException e) {
                return NONE;
            } catch (IOException | IllegalArgumentException e) {
                // Being written: a holder is at it.
                return new HostLock(true, null, null, System.currentTimeMillis());
            }
            String server = p.getProperty("server");
            String id = p.getProperty("id");
            return new HostLock(true, server == null || server.lastIndexOf(':') < 0 || id == null ? null : server, id, modified);
        }

        /** Straight to the holder's server: the lock's id is the key it maps to the store (H2's AUTO_SERVER protocol). */
        String directUrl(String options) {
            return "jdbc:h2:tcp://" + Objects.requireNonNull(server) + "/" + id + options;
        }
    }
}
