package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.backprop.cli.Cli;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an owner can do to a store that the database cannot refuse, and that verify must see all the same: runs
 * deleted, a tail cut off, end events truncated away, a run replaced by an honest re-execution, the file cut short.
 */
class JournalTamperTest {
    @TempDir
    Path dir;

    private Cli cli;
    private String url;
    private String digest;

    @BeforeEach
    void fourRunsAndADigest() {
        cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "300").exitCode());
        assertEquals(0, cli.run("sweep", "--lr", "0.2,0.5", "-q").exitCode());
        assertEquals(0, cli.run("train", "--lr", "0.8", "--epochs", "2000", "--name", "last").exitCode());
        url = StoreLocation.of(cli.store().toString()).url();
        Cli.Result d = cli.run("digest");
        assertEquals(0, d.exitCode(), d.err());
        digest = d.out().strip();
        Cli.Result v = cli.run("verify", "--against", digest);
        assertEquals(0, v.exitCode(), v.out());
    }

    private Connection owner() throws SQLException {
        return StoreAccounts.owner(cli.store());
    }

    private void asOwner(String... statements) throws SQLException {
        try (Connection c = owner(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static final String[] DROP_APPEND_ONLY = {"DROP TRIGGER run_started_is_append_only", "DROP TRIGGER epoch_blocks_is_append_only",
        "DROP TRIGGER run_ended_is_append_only", "DROP TRIGGER epoch_parts_is_append_only", "DROP TRIGGER journal_is_append_only"};

    private void deleteRun(long id) throws SQLException {
        asOwner("DELETE FROM run_writers WHERE run_id = " + id, "DELETE FROM epoch_parts WHERE run_id = " + id,
                "DELETE FROM epoch_blocks WHERE run_id = " + id, "DELETE FROM run_ended WHERE run_id = " + id,
                "DELETE FROM run_started WHERE run_id = " + id);
    }

    /** The number of the first journal entry of the run. */
    private long firstEntryOf(long runId) throws SQLException {
        try (Connection c = owner(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT MIN(seq) FROM journal WHERE run_id = " + runId)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Cli.Result verifyFails() {
        Cli.Result r = cli.run("verify");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        return r;
    }

    private void againstTheDigestFails(String why) {
        Cli.Result r = cli.run("verify", "--against", digest);
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("digest: DIFFERS: " + why), r.out());
    }

    @Test
    void deletedRunsAreNamedAndAReusedIdIsSeen() throws SQLException {
        long run2 = firstEntryOf(2);
        asOwner(DROP_APPEND_ONLY);
        deleteRun(2);
        deleteRun(4);
        Cli.Result r = verifyFails();
        assertTrue(r.out().contains("journal: DIFFERS: run 2 is gone from the store (journal entry " + run2 + "): it was deleted"), r.out());
        assertTrue(r.out().contains("last seen: DIFFERS: not everything the digest of "), r.out());
        againstTheDigestFails("not everything the digest of ");
        long entries = Long.parseLong(digest.replaceAll(".* entries=([0-9]+) .*", "$1"));
        assertEquals(0, cli.run("train", "--epochs", "10", "--name", "newcomer").exitCode());
        Cli.Result again = verifyFails();
        assertTrue(again.out().contains("run 4 was started twice (journal entry " + (entries + 1) + "): a run was deleted and its id given again"),
                again.out());
        assertTrue(again.out().contains("more below)"), again.out());
    }

    @Test
    void aTailCutOffWithItsEndEventIsNamed() throws SQLException {
        asOwner(DROP_APPEND_ONLY);
        asOwner("DELETE FROM epoch_blocks WHERE run_id = 4 AND first_epoch >= 1000", "DELETE FROM run_ended WHERE run_id = 4");
        Cli.Result r = verifyFails();
        assertTrue(r.out().contains("run 4 'last': ok:"), "the shortened run alone looks like an interrupted one: " + r.out());
        assertTrue(r.out().contains("journal: DIFFERS: run 4's epochs "), r.out());
        assertTrue(r.out().contains("are gone from the store (journal entry "), r.out());
    }

    @Test
    void truncatingATableIsRefusedEvenForTheOwnerAndWhatGetsPastIsSeen() throws SQLException {
        for (String table : List.of("run_ended", "epoch_blocks", "run_started", "epoch_parts", "journal", "sweeps")) {
            SQLException e = assertThrows(SQLException.class, () -> asOwner("TRUNCATE TABLE " + table), table);
            assertTrue(e.getMessage().startsWith("Cannot truncate"), e.getMessage());
        }
        // Turning the foreign keys off takes admin rights, which no account of a store has; dropping the guard does not.
        SQLException off = assertThrows(SQLException.class, () -> asOwner("SET REFERENTIAL_INTEGRITY FALSE"));
        assertTrue(off.getMessage().startsWith("Admin rights are required"), off.getMessage());
        asOwner("DROP TABLE run_ended_cannot_be_truncated", "TRUNCATE TABLE run_ended");
        Cli.Result r = verifyFails();
        assertTrue(r.out().contains("journal: DIFFERS: run 1's terminal event is gone (journal entry 4): the run now looks interrupted (3 more below)"),
                r.out());
        assertEquals(3, r.lines().stream().filter(l -> l.startsWith("  also: run ") && l.contains("'s terminal event is gone")).count(), r.out());
    }

    @Test
    void nobodyWritesTheJournalButTheStore() throws SQLException {
        SQLException e = assertThrows(SQLException.class,
                () -> asOwner("INSERT INTO journal VALUES (99, 'ended', 1, 0, -1, -1, 1, 1, X'" + "00".repeat(32) + "', X'" + "00".repeat(32) + "')"));
        assertTrue(e.getMessage().contains("the journal is written by the store alone"), e.getMessage());
        SQLException update = assertThrows(SQLException.class, () -> asOwner("UPDATE journal SET events = 2 WHERE seq = 1"));
        assertTrue(update.getMessage().contains("append-only"), update.getMessage());
    }

    @Test
    void aRunReplacedByAnHonestReExecutionWithAnotherRateIsCaughtByTheDigestAndByWhatThisMachineSaw() throws SQLException {
        asOwner(DROP_APPEND_ONLY);
        // The forger removes the last run and its journal entries, then records it again with another rate: the journal
        // is consistent again, and only a digest kept elsewhere (or this machine's memory of the store) can tell.
        long run4 = firstEntryOf(4);
        deleteRun(4);
        asOwner("DELETE FROM journal WHERE seq >= " + run4);
        assertEquals(0, cli.run("train", "--lr", "0.7", "--epochs", "2000", "--name", "last").exitCode());
        Cli.Result r = verifyFails();
        assertTrue(r.out().contains("journal: ok:"), r.out());
        assertTrue(r.out().contains("last seen: DIFFERS: the store's first "), r.out());
        againstTheDigestFails("the store's first ");
        assertTrue(cli.run("verify", "--against", digest).out().contains("the journal was rewritten consistently"));
    }

    @Test
    void aStoreFileCutShortNeverVerifiesWithEventsGone() throws IOException {
        // H2 opens a cut file at the newest version whose pages are all there, silently; where that lost events, the
        // memory of what this machine saw the store hold must say so. Each cut is made on a fresh copy.
        Path file = Path.of(cli.store() + ".mv.db");
        byte[] whole = Files.readAllBytes(file);
        int lostEvents = 0;
        for (int percent : new int[] {99, 95, 90, 75, 50}) {
            Files.write(file, java.util.Arrays.copyOf(whole, whole.length * percent / 100));
            Cli.Result r = cli.run("verify");
            String said = r.out() + r.err();
            if (r.exitCode() == 0) {
                assertTrue(said.contains("journal: ok: 21 entries hold 2508 events"), percent + "%: passes only when nothing is gone: " + said);
            } else {
                assertTrue(said.contains("it was rolled back or replaced") || said.contains("corrupt"), percent + "%: " + said);
                lostEvents++;
            }
        }
        assertTrue(lostEvents > 0, "some cut loses events, so the check is one that can fail");
    }

    @Test
    void aSignedDigestVerifiesOnlyWithItsKeyAndUnchanged() {
        Path key = dir.resolve("lab.key");
        assertEquals(0, cli.run("digest", "--new-key", key.toString()).exitCode());
        Cli.Result signed = cli.run("digest", "--sign", key.toString());
        assertEquals(0, signed.exitCode(), signed.err());
        String line = signed.out().strip();
        assertTrue(line.contains(" sig="), line);
        Cli.Result ok = cli.run("verify", "--against", line, "--key", key + ".pub");
        assertEquals(0, ok.exitCode(), ok.out());
        assertTrue(ok.out().contains("signature: ok: made with the private key of "), ok.out());
        Path other = dir.resolve("other.key");
        assertEquals(0, cli.run("digest", "--new-key", other.toString()).exitCode());
        Cli.Result wrongKey = cli.run("verify", "--against", line, "--key", other + ".pub");
        assertEquals(1, wrongKey.exitCode(), wrongKey.out());
        assertTrue(wrongKey.out().contains("signature: DIFFERS"), wrongKey.out());
        String forged = line.replaceFirst(" events=[0-9]+ ", " events=1 ");
        Cli.Result edited = cli.run("verify", "--against", forged, "--key", key + ".pub");
        assertEquals(1, edited.exitCode(), edited.out());
        assertTrue(edited.out().contains("signature: DIFFERS"), edited.out());
    }
}
