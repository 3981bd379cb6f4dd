package org.backprop.store.h2;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.backprop.events.StoreException;
import org.backprop.store.StoreLocation;

/**
 * Creating a file store whole or not at all, with credentials of its own: of two processes creating one store at once
 * one makes it and the other waits for it, and a process killed halfway leaves nothing that looks like a store.
 */
final class StoreCreation {
    private static final String CREATING = ".creating-";
    /** A credentials file without its store, this old, was left by a creation that was killed halfway. */
    private static final Duration ABANDONED = Duration.ofMinutes(1);

    private StoreCreation() {
    }

    /**
     * Creates a file store whole or not at all: its credentials file is claimed first (of two processes creating the
     * store at once, the one that claims it makes the store), then the store is set up under a temporary name and
     * linked into place, so a process killed meanwhile leaves no half-made store behind.
     */
    static void createFile(StoreLocation location) throws SQLException, IOException {
        Path folder = location.file().toAbsolutePath().getParent();
        String name = location.file().getFileName().toString();
        removeAbandonedCreations(folder, name);
        Path temporary = folder.resolve(name + CREATING + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path temporaryData = Path.of(temporary + ".mv.db");
        StoreCredentials credentials = StoreCredentials.generate(location.credentialsFile());
        boolean claimed = false;
        try {
            claimed = claim(location, credentials, Path.of(temporary + ".credentials"));
            if (!claimed) {
                return;
            }
            // The first user of a new H2 database is its admin: the owner, until the store's users are secured.
            String url = "jdbc:h2:" + location.databaseName().replace(location.file().toString(), temporary.toString());
            try (Connection owner = credentials.owner().connect(url); Connection admin = AdminSession.of(owner).orElseThrow()) {
                Schema.migrate(() -> H2Opening.adminOf(owner));
                StoreUsers.secure(admin, credentials);
            }
            try {
                Files.createLink(location.dataFile(), temporaryData);
            } catch (FileAlreadyExistsException e) {
                throw new StoreException("the store " + location.describe() + " appeared while this process was creating it, with"
                        + " no credentials file of its own: move it away, or give another --db path");
            } catch (UnsupportedOperationException | IOException e) {
                Files.move(temporaryData, location.dataFile());
            }
        } catch (SQLException | IOException | RuntimeException e) {
            if (claimed && !Files.exists(location.dataFile())) {
                Files.deleteIfExists(location.credentialsFile());
            }
            throw e;
        } finally {
            Files.deleteIfExists(temporaryData);
            Files.deleteIfExists(Path.of(temporary + ".trace.db"));
        }
    }

    /**
     * Puts the new store's credentials file into place unless one is there; false when another process made it first
     * (it is creating the store, which this process then waits for and opens).
     */
    private static boolean claim(StoreLocation location, StoreCredentials credentials, Path temporary) throws IOException {
        Path file = location.credentialsFile();
        for (int attempt = 0; ; attempt++) {
            new StoreCredentials(temporary, credentials.owner(), credentials.app(), credentials.reader())
                    .write(location.describe(), WriterLease.thisProcess());
            try {
                Files.createLink(file, temporary);
                return true;
            } catch (FileAlreadyExistsException e) {
                if (attempt < 3 && Files.notExists(location.dataFile()) && removeIfAbandoned(file)) {
                    continue;
                }
                if (attempt < 3 && !awaitStore(location)) {
                    // Its creator died before the store was in place: the credentials file was removed, claim it anew.
                    continue;
                }
                if (Files.notExists(location.dataFile())) {
                    throw new StoreException("the store " + location.describe() + " has a credentials file (" + file
                            + ") but no store beside it, and its creator is gone: delete that file, then run the command again");
                }
                return false;
            } catch (UnsupportedOperationException e) {
                Files.move(temporary, file);
                return true;
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Removes a credentials file left by a creation that was killed halfway (older than a minute, or naming a maker
     * that has ended), unless another process replaced it meanwhile; true when it was removed.
     */
    private static boolean removeIfAbandoned(Path credentials) throws IOException {
        byte[] seen;
        try {
            seen = Files.readAllBytes(credentials);
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
        boolean old = Duration.between(Files.getLastModifiedTime(credentials).toInstant(), Instant.now()).compareTo(ABANDONED) > 0;
        if (!old && !creatorIsGone(credentials)) {
            return false;
        }
        // A process that found the same and claimed the file first wrote a file of its own: leave that one.
        if (!java.util.Arrays.equals(seen, Files.readAllBytes(credentials))) {
            return false;
        }
        Files.deleteIfExists(credentials);
        return true;
    }

    /**
     * Whether the process the credentials file names as the store's maker ran on this machine and has ended (a file
     * made by an older backprop, or on another machine, names none that can be asked).
     */
    private static boolean creatorIsGone(Path credentials) {
        try {
            for (String line : Files.readAllLines(credentials, java.nio.charset.StandardCharsets.UTF_8)) {
                if (line.startsWith(StoreCredentials.MADE_BY)) {
                    String maker = line.substring(StoreCredentials.MADE_BY.length()).strip();
                    String me = WriterLease.thisProcess();
                    int at = maker.indexOf('@');
                    if (at <= 0 || !maker.substring(at).equals(me.substring(me.indexOf('@'))) || !maker.substring(0, at).matches("[0-9]{1,18}")) {
                        return false;
                    }
                    return ProcessHandle.of(Long.parseLong(maker.substring(0, at))).map(p -> !p.isAlive()).orElse(true);
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits for the store another process is creating: true when it appears; false when its creator was found gone
     * and its credentials file removed; refuses if it does not appear within a minute.
     */
    private static boolean awaitStore(StoreLocation location) throws IOException {
        long deadline = System.nanoTime() + ABANDONED.toNanos();
        for (int look = 0; Files.notExists(location.dataFile()); look++) {
            if (look % 10 == 9 && creatorIsGone(location.credentialsFile()) && Files.notExists(location.dataFile())
                    && removeIfAbandoned(location.credentialsFile())) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new StoreException("the store " + location.describe() + " has a credentials file (" + location.credentialsFile()
                        + ") but no store appeared beside it within a minute: if no other backprop is creating it, delete that file");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for another process to create " + location.describe(), e);
            }
        }
        return true;
    }

    /** Deletes the temporary files of creations whose process was killed before it could link the store into place. */
    private static void removeAbandonedCreations(Path folder, String name) throws IOException {
        try (var files = Files.newDirectoryStream(folder, name + CREATING + "*")) {
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
}
