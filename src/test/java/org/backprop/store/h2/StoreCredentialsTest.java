package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.backprop.events.StoreException;
import org.backprop.model.RunConfig;
import org.backprop.store.StoreAccess;
import org.backprop.store.StoreLocation;
import org.backprop.store.TempStore;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every store has credentials of its own, in a file only its owner may read; the fixed passwords of older versions
 * open no store, new or migrated; and no account is an admin, whoever connects.
 */
class StoreCredentialsTest {
    @RegisterExtension
    final TempStore temp = new TempStore();

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static void assertFixedPasswordsRefused(StoreLocation location) {
        for (String user : FixedPasswords.USERS) {
            SQLException e = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(location.url() + ";IFEXISTS=TRUE", user, FixedPasswords.of(user)).close(), user);
            assertEquals("28000", e.getSQLState(), user + ": " + e.getMessage());
        }
    }

    private Path copyOfTheV1Fixture() throws IOException {
        Path old = temp.folder().resolve("old");
        try (InputStream fixture = getClass().getResourceAsStream("/fixtures/v1-store.mv.db")) {
            Files.copy(fixture, Path.of(old + ".mv.db"));
        }
        return old;
    }

    @Test
    void theFixedPasswordsRuleMatchesWhatSchema1Created() {
        for (String user : List.of(StoreCredentials.APP, StoreCredentials.READER)) {
            assertEquals(LegacyPasswords.of(user).orElseThrow().password(), FixedPasswords.of(user));
        }
    }

    @Test
    void aNewStoreHasCredentialsOfItsOwnInAFileOnlyItsOwnerCanRead() throws Exception {
        try (H2EventStore store = temp.open()) {
            new Trainer(store).train(RunConfig.seed().withEpochs(2), TrainingProgress.NONE);
            Path credentials = Path.of(temp.path() + ".credentials");
            assertEquals("rw-------", mode(credentials));
            assertEquals("rw-------", mode(Path.of(temp.path() + ".mv.db")));
            assertEquals("rw-------", mode(Path.of(temp.path() + ".lock.db")), "the lock file holds the key of the store's AUTO_SERVER");
            Set<String> passwords = new HashSet<>();
            for (String role : List.of("owner", "app", "reader")) {
                String[] account = StoreAccounts.credentials(temp.path(), role);
                assertEquals("BACKPROP_" + role.toUpperCase(java.util.Locale.ROOT), account[0]);
                assertTrue(account[1].matches("[A-Za-z0-9_-]{43}"), "256 random bits: " + account[1].length() + " characters");
                passwords.add(account[1]);
            }
            assertEquals(3, passwords.size(), "each account its own password");
            assertFixedPasswordsRefused(store.location());
        }
        Path other = temp.folder().resolve("other");
        try (H2EventStore second = H2EventStore.open(StoreLocation.of(other.toString()))) {
            assertFalse(StoreAccounts.credentials(other, "app")[1].equals(StoreAccounts.credentials(temp.path(), "app")[1]),
                    "every store its own credentials");
        }
    }

    @Test
    void noUserOfAStoreIsAnAdminSoNoPasswordGivesAdminRights() throws Exception {
        temp.open().close();
        try (H2EventStore store = temp.open(); Connection owner = StoreAccounts.owner(temp.path()); Statement s = owner.createStatement()) {
            try (Connection admin = AdminSession.of(owner).orElseThrow(); Statement a = admin.createStatement();
                 ResultSet rs = a.executeQuery("SELECT USER_NAME FROM INFORMATION_SCHEMA.USERS WHERE IS_ADMIN")) {
                assertFalse(rs.next(), "no user is an admin");
            }
            for (String sql : List.of("CREATE ALIAS P FOR 'java.lang.System.getProperty'", "SELECT FILE_READ('/etc/passwd')",
                    "CREATE USER stranger PASSWORD 'x' ADMIN", "ALTER USER BACKPROP_OWNER ADMIN TRUE", "SET WRITE_DELAY 100",
                    "SHUTDOWN", "CREATE LINKED TABLE l('', 'jdbc:h2:mem:x', '', '', 't')")) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertEquals(90040, e.getErrorCode(), sql + ": " + e.getMessage());
            }
            // What the owner may do: read everything (and more, see TamperTest), as the schema's owner.
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM run_started")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }

    @Test
    void anOldStoreGetsCredentialsOfItsOwnTheFirstTimeItsOwnerOpensItAndSaysSoOnce() throws Exception {
        Path old = copyOfTheV1Fixture();
        StoreLocation location = StoreLocation.of(old.toString());
        List<String> notices = new ArrayList<>();
        try (H2EventStore store = H2EventStore.open(location, StoreAccess.READ, notices::add)) {
            assertEquals(6, store.runs().size());
            assertFixedPasswordsRefused(location);
        }
        assertEquals(List.of("the store " + old + ".mv.db had the fixed passwords of backprop 0.2 and older: it has credentials of its own"
                + " now, in " + old + ".credentials (readable by you only; keep it with the store)"), notices);
        assertEquals("rw-------", mode(Path.of(old + ".credentials")));
        assertEquals("rw-------", mode(Path.of(old + ".mv.db")), "the store's file is made its owner's alone too");
        notices.clear();
        try (H2EventStore store = H2EventStore.open(location, StoreAccess.READ, notices::add); Connection reader = StoreAccounts.reader(old);
             Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM runs")) {
            rs.next();
            assertEquals(6, rs.getInt(1));
        }
        assertEquals(List.of(), notices, "said once");
    }

    @Test
    void aChangeOfCredentialsCutShortIsFinishedWithTheFileWrittenBeforeIt() throws Exception {
        Path old = copyOfTheV1Fixture();
        // As if the process was killed after writing the file and before the store took the new passwords.
        StoreCredentials written = StoreCredentials.generate(Path.of(old + ".credentials"));
        written.write(old + ".mv.db");
        try (H2EventStore store = H2EventStore.open(StoreLocation.of(old.toString()))) {
            assertEquals(6, store.runs().size());
        }
        assertEquals(written.app().password(), StoreAccounts.credentials(old, "app")[1], "the file's credentials were kept");
        try (Connection app = StoreAccounts.app(old)) {
            assertTrue(app.isValid(1));
        }
        assertFixedPasswordsRefused(StoreLocation.of(old.toString()));
    }

    @Test
    void aCredentialsFileOthersMayReadIsRefused() throws Exception {
        temp.open().close();
        Path credentials = Path.of(temp.path() + ".credentials");
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-r--r--"));
        StoreException e = assertThrows(StoreException.class, temp::open);
        assertEquals("the credentials file " + credentials + " is not private (other users may read or change it (mode rw-r--r--)), so it"
                + " cannot be trusted: make it yours alone (chmod 600 " + credentials + ") if you wrote it, else delete it", e.getMessage());
    }

    @Test
    void twoProcessesCreatingOneStoreAtOnceGetOneStoreWithOneSetOfCredentials() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    try (H2EventStore store = temp.open()) {
                        return new Trainer(store).train(RunConfig.seed().withEpochs(5), TrainingProgress.NONE).started().runId();
                    }
                }));
            }
            Set<Long> ids = new HashSet<>();
            for (Future<Long> f : runs) {
                ids.add(f.get());
            }
            assertEquals(Set.of(1L, 2L, 3L, 4L), ids);
        } finally {
            pool.shutdown();
        }
        try (H2EventStore store = temp.open()) {
            assertEquals(4, store.runs().size());
        }
        try (var files = Files.list(temp.folder())) {
            assertEquals(List.of("store.credentials", "store.mv.db"), files.map(f -> f.getFileName().toString())
                    .filter(n -> !n.endsWith(".trace.db")).sorted().toList(), "nothing left of the creations");
        }
    }

    @Test
    void aCreationWhoseProcessWasKilledHalfwayIsTakenOverAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path credentials = Path.of(temp.path() + ".credentials");
        // What a creator killed after claiming the credentials file, before linking the store into place, leaves.
        StoreCredentials.generate(credentials).write(temp.location().describe(), gone.pid() + "@" + WriterLease.thisProcess().split("@", 2)[1]);
        long start = System.nanoTime();
        try (H2EventStore s = H2EventStore.open(temp.location(), StoreAccess.CREATE)) {
            new Trainer(s).train(RunConfig.seed().withEpochs(3), TrainingProgress.NONE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Not a performance figure: the difference between taking over and waiting out the minute.
        assertTrue(seconds < 30, "took over after " + seconds + " s");
        assertTrue(Files.readString(credentials).contains(StoreCredentials.MADE_BY + WriterLease.thisProcess()), "the store's credentials are this process's");
        assertEquals(1, StoreChecks.runCount(temp.path()));
    }
}
