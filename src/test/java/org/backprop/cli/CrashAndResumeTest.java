package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backprop.store.h2.H2EventStore;
import org.backprop.events.RunSummary;
import org.backprop.store.h2.StoreChecks;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes, killed and interrupted, leave a store that is whole, and their runs resume bit-identically. */
@Tag("slow")
class CrashAndResumeTest {
    private static final int EPOCHS = 40_000;

    @TempDir
    Path dir;

    private Path store() {
        return dir.resolve("store");
    }

    private H2EventStore open() {
        return H2EventStore.openExisting(StoreLocation.of(store().toString()));
    }

    /** Waits until the child holds the store (so this test is only ever its client) and has committed epochs. */
    private void awaitCommittedEpochs(CliProcess child, int atLeast) throws InterruptedException {
        CliProcess.await(child + " opens the store", Duration.ofSeconds(30),
                () -> Files.exists(dir.resolve("store.lock.db")) || !child.isAlive());
        CliProcess.await(child + " commits " + atLeast + " epochs", Duration.ofSeconds(30),
                () -> !child.isAlive() || StoreChecks.committedEpochs(store(), 1) >= atLeast);
        assertTrue(child.isAlive(), child + " ended before it could be stopped: " + child.out() + child.err());
    }

    @Test
    void aRunKilledAtRandomMomentsStaysWholeAndResumesBitIdenticallyToAnUninterruptedRun() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String why = " (random seed " + seed + ")";
        int stored = 0;
        int kills = 0;
        boolean midRun = false;
        boolean completed = false;
        for (int attempt = 0; attempt < 3 && !completed; attempt++) {
            String[] args = attempt == 0
                    ? new String[] {"train", "--db", store().toString(), "--epochs", Integer.toString(EPOCHS), "--name", "crash", "-q"}
                    : new String[] {"resume", "1", "--db", store().toString(), "-q"};
            try (CliProcess child = CliProcess.startSlow(dir, args)) {
                if (!midRun) {
                    // Until a kill has left part of the run behind, kill just after a commit; then anywhere, start-up included.
                    awaitCommittedEpochs(child, stored + 1);
                    // The run's header is out before its first commit: a killed run's output names it.
                    assertTrue(child.out().contains("run 1 'crash': network 2-2-2 (sigmoid, sigmoid), learning rate 0.1, " + EPOCHS
                            + " epochs planned"), child.out() + why);
                    Thread.sleep(random.nextInt(100));
                } else {
                    Thread.sleep(random.nextInt(1500));
                }
                if (child.isAlive()) {
                    child.kill();
                    kills++;
                } else {
                    assertEquals(0, child.waitFor(Duration.ofSeconds(5)), child.out() + child.err());
                }
            }
            try (H2EventStore s = open()) {
                List<RunSummary> runs = s.runs();
                assertEquals(1, runs.size(), why);
                int chained = StoreChecks.assertChainIntact(s, 1);
                assertEquals(runs.get(0).epochsRecorded(), chained, why);
                // A kill may take the last commits with it (H2 writes them a moment later), never what a clean close kept.
                assertTrue(chained >= stored, "epochs 0 to " + (stored - 1) + " were kept before and must stay; now " + chained + why);
                completed = chained == EPOCHS && "completed".equals(runs.get(0).status());
                assertEquals(completed ? "completed" : "interrupted", runs.get(0).status(), "a run whose writer is gone" + why);
                midRun |= chained > 0 && chained < EPOCHS;
                stored = chained;
            }
        }
        assertTrue(kills >= 1 && midRun, "a kill left part of the run behind" + why);

        Cli cli = new Cli(dir);
        if (!completed) {
            Cli.Result resumed = cli.run("resume", "crash", "--db", store().toString());
            assertEquals(0, resumed.exitCode(), resumed.err() + why);
            assertTrue(resumed.out().startsWith("resumed run 1 at epoch " + stored + "\n"), resumed.out());
            assertTrue(resumed.out().contains("completed: " + EPOCHS + " epochs recorded"), resumed.out());
        }
        Cli.Result reference = cli.run("train", "--db", store().toString(), "--epochs", Integer.toString(EPOCHS), "--name", "reference");
        assertEquals(0, reference.exitCode(), reference.err());
        try (H2EventStore s = open()) {
            assertEquals(EPOCHS, StoreChecks.assertChainIntact(s, 1), why);
            StoreChecks.assertSameEpochs(s, 2, 1);
        }
        Cli.Result again = cli.run("resume", "1", "--db", store().toString());
        assertEquals(2, again.exitCode());
        assertEquals("backprop: run 1 has already completed (all " + EPOCHS + " epochs are recorded): there is nothing to resume;"
                + " 'backprop runs' shows the runs that are interrupted\n", again.err());
    }

    @Test
    void ctrlCStopsAfterTheCurrentEpochCommitsItAndSaysHowToResume() throws Exception {
        try (CliProcess child = CliProcess.startSlow(dir, "train", "--db", store().toString(), "--epochs", "50000000", "--name", "ctrl-c", "-q")) {
            awaitCommittedEpochs(child, 1);
            child.signal("INT");
            assertEquals(130, child.waitFor(Duration.ofSeconds(30)), child.out() + child.err());
            assertEquals("", child.err());
            Matcher m = Pattern.compile("interrupted: (\\d+) of 50000000 epochs recorded\n").matcher(child.out());
            assertTrue(m.find(), child.out());
            int stopped = Integer.parseInt(m.group(1));
            assertTrue(child.out().contains("resume it:  backprop resume 1 --db " + store() + "\n"), child.out());
            try (H2EventStore s = open()) {
                RunSummary run = s.runs().get(0);
                assertEquals("interrupted", run.status());
                assertEquals(stopped, run.epochsRecorded(), "every epoch trained before Ctrl-C was committed");
                assertEquals(stopped, StoreChecks.assertChainIntact(s, 1));
                assertEquals(stopped, StoreChecks.assertRecordedValuesRecompute(s, 1));
                assertTrue(s.ended(1).isEmpty(), "an interrupted run has no terminal event");
            }
        }
    }
}
