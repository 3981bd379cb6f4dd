package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backprop.events.EventStore;
import org.backprop.events.RunSummary;
import org.backprop.store.TempPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queued sweep trained by workers in real child JVMs, one of them killed mid-run, against the test PostgreSQL server
 * (as the issue asks: workers on one machine standing in for several).
 */
@Tag("slow")
class QueuedSweepWorkersTest {
    private static final int RUNS = 30;
    private static final int EPOCHS = 10_000;
    private static final Pattern TRAINING = Pattern.compile("run (\\d+) '[^']*' of sweep 1: training its " + EPOCHS + " epochs");

    @RegisterExtension
    final TempPostgres postgres = new TempPostgres();

    @TempDir
    Path dir;

    @Test
    void threeWorkersOneKilledMidRunTrainEveryRunAsTheSweepTrainedHereWould() throws Exception {
        Cli owner = Cli.forDb(postgres.url());
        List<String> rates = new ArrayList<>();
        for (int i = 1; i <= RUNS; i++) {
            rates.add(String.format(Locale.ROOT, "%.2f", 0.05 * i));
        }
        String lr = String.join(",", rates);
        Cli.Result queued = owner.run("sweep", "--lr", lr, "--epochs", Integer.toString(EPOCHS), "--queue");
        assertEquals(0, queued.exitCode(), queued.err());
        assertTrue(queued.out().contains("progress: 0 of 30 runs done, 30 planned"), queued.out());

        // The worker to be killed runs in the interpreter (some 50 times slower), so its run is surely caught in the middle.
        String workerDb = postgres.appUrl();
        List<CliProcess> workers = new ArrayList<>();
        try (EventStore store = postgres.open()) {
            CliProcess doomed = CliProcess.startSlow(dir, "worker", "--db", workerDb, "--poll", "1");
            workers.add(doomed);
            await(Duration.ofSeconds(40), () -> TRAINING.matcher(doomed.out()).find(), "the slow worker to claim a run", doomed);
            Matcher claimed = TRAINING.matcher(doomed.out());
            assertTrue(claimed.find());
            long killedRun = Long.parseLong(claimed.group(1));
            workers.add(CliProcess.start(dir, "worker", "--db", workerDb, "--poll", "1"));
            workers.add(CliProcess.start(dir, "worker", "--db", workerDb, "--poll", "1"));
            await(Duration.ofSeconds(40), () -> recorded(store, killedRun) > 0, "the slow worker's run to commit epochs", doomed);
            RunSummary before = store.summary(killedRun).orElseThrow();
            assertEquals("running", before.status());
            doomed.kill();
            RunSummary after = store.summary(killedRun).orElseThrow();
            assertTrue(after.status().equals("interrupted") || after.status().equals("running"),
                    "a killed worker's run is interrupted (or already taken over): " + after.status());
            assertTrue(after.epochsRecorded() < EPOCHS, "killed in the middle of its run: " + after.epochsRecorded());

            for (CliProcess worker : workers.subList(1, 3)) {
                assertEquals(0, worker.waitFor(Duration.ofSeconds(60)), worker.out() + worker.err());
                assertTrue(worker.out().contains("every queued run has ended"), worker.out());
            }
            String survivors = workers.get(1).out() + workers.get(2).out();
            assertTrue(survivors.contains("run " + killedRun + " 'seed-lr"), survivors);
            assertTrue(Pattern.compile("run " + killedRun + " '[^']*' of sweep 1: continuing from epoch [1-9]\\d* \\(its worker stopped\\)")
                    .matcher(survivors).find(), "another worker continued the killed worker's run:\n" + survivors);
            assertEquals(RUNS, Pattern.compile("(?m)^run \\d+: completed, " + EPOCHS + " epochs recorded").matcher(survivors).results().count(),
                    survivors);

            assertTrue(store.runs().stream().allMatch(r -> r.status().equals("completed")), store.runs().toString());
            Cli.Result verified = owner.run("verify");
            assertEquals(0, verified.exitCode(), verified.out() + verified.err());

            // The same sweep trained here, start to end in one process: every run holds the same epochs, bit for bit.
            Cli.Result local = owner.run("sweep", "--lr", lr, "--epochs", Integer.toString(EPOCHS), "--quiet");
            assertEquals(0, local.exitCode(), local.err());
            List<Long> queuedRuns = store.sweepRuns(1);
            List<Long> localRuns = store.sweepRuns(2);
            assertEquals(RUNS, localRuns.size());
            for (int i = 0; i < RUNS; i++) {
                assertArrayEquals(payloads(store, localRuns.get(i)), payloads(store, queuedRuns.get(i)), "rate " + rates.get(i));
            }
            assertEquals(table(owner.run("sweeps", "2")), table(owner.run("sweeps", "1")));
        } finally {
            for (CliProcess worker : workers) {
                worker.kill();
            }
        }
    }

    private static int recorded(EventStore store, long runId) {
        return store.summary(runId).map(RunSummary::epochsRecorded).orElse(0);
    }

    /** The sweep's table without its heading and run ids, which differ between two sweeps of the same runs. */
    private static List<String> table(Cli.Result r) {
        assertEquals(0, r.exitCode(), r.err());
        return r.lines().stream().filter(l -> !l.startsWith("sweep ") && !l.startsWith("run ")).toList();
    }

    private static byte[] payloads(EventStore store, long id) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        store.forEachBlock(id, b -> all.writeBytes(b.payload()));
        return all.toByteArray();
    }

    private static void await(Duration timeout, BooleanSupplier done, String what, CliProcess process) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until || !process.isAlive()) {
                fail("waited in vain for " + what + "; the worker printed:\n" + process.out() + process.err());
            }
            Thread.sleep(50);
        }
    }
}
