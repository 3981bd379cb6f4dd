package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.backprop.store.h2.StoreChecks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that only read leave every byte of the store's file as it was, whether the store is healthy or damaged. */
class ReadsNeverWriteTest {
    @TempDir
    Path dir;

    @TempDir
    Path elsewhere;

    private Cli cli;

    @BeforeEach
    void aStoreWithRunsAndASweep() {
        cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "400").exitCode());
        assertEquals(0, cli.run("sweep", "--lr", "0.2,0.5", "-q").exitCode());
        assertEquals(0, cli.run("fork", "1", "--at", "100", "--lr", "0.3", "-q").exitCode());
    }

    private List<String[]> readingCommands() {
        String digest = cli.run("digest").out().strip();
        return List.of(new String[] {"runs"}, new String[] {"sql", "SELECT COUNT(*) FROM gradients"}, new String[] {"sql", "SELECT * FROM nope"},
                new String[] {"replay", "1", "--epoch", "5"}, new String[] {"replay", "4", "--with-history", "--format", "csv"},
                new String[] {"state", "1", "--final"}, new String[] {"verify"}, new String[] {"verify", "1"},
                new String[] {"verify", "--against", digest}, new String[] {"export", "1", "--format", "jsonl"},
                new String[] {"export", "1", "--format", "csv", "--out", elsewhere.resolve("e.csv").toString()},
                new String[] {"diff", "2", "3"}, new String[] {"plot", "1", "2", "--out", elsewhere.resolve("p.png").toString()},
                new String[] {"digest"}, new String[] {"replay", "99"});
    }

    private void everyReadLeavesTheFileAsItWas() throws IOException {
        List<String[]> commands = readingCommands();
        String before = sha256(Path.of(cli.store() + ".mv.db"));
        List<Path> files = files();
        for (String[] args : commands) {
            cli.run(args);
            assertEquals(before, sha256(Path.of(cli.store() + ".mv.db")), "the store's bytes after " + String.join(" ", args));
            assertEquals(files, files(), "the store's folder after " + String.join(" ", args));
        }
    }

    @Test
    void readsLeaveAHealthyStoreByteForByte() throws IOException {
        everyReadLeavesTheFileAsItWas();
    }

    @Test
    void readsLeaveADamagedStoreByteForByte() throws Exception {
        try (Connection owner = org.backprop.store.h2.StoreAccounts.owner(cli.store()); Statement s = owner.createStatement()) {
            s.execute("DROP TRIGGER epoch_blocks_is_append_only");
            s.execute("DELETE FROM epoch_blocks WHERE run_id = 1 AND first_epoch > 0 AND first_epoch < 300");
        }
        assertEquals(1, cli.run("verify").exitCode());
        everyReadLeavesTheFileAsItWas();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCheckCanFail() throws IOException {
        // A writing command changes the file, so the comparison above is one that can see a write.
        String before = sha256(Path.of(cli.store() + ".mv.db"));
        assertEquals(0, cli.run("train", "--epochs", "3").exitCode());
        assertTrue(!before.equals(sha256(Path.of(cli.store() + ".mv.db"))));
    }
}
