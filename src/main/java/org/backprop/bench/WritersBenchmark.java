package org.backprop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Many processes training into one file store, as the integrity issue measured them: eight writers one after another
 * and all at once into a store none of them finds made; {@code runs} in a loop beside them; {@code runs} right after
 * a writer was killed. Every process must succeed.
 */
final class WritersBenchmark {
    private static final int WRITERS = 8;

    private WritersBenchmark() {
    }

    static void run(Path dir, boolean quick, Path launcher, Bench.Figures out, Bench.Command processes) throws Exception {
        int epochs = quick ? 50_000 : 200_000;
        List<String> train = List.of("train", "--epochs", Integer.toString(epochs), "-q");
        long t0 = System.nanoTime();
        for (int i = 0; i < WRITERS; i++) {
            processes.time(with(train, "--name", "w" + i, "--db", dir.resolve("writers-one-by-one").toString()));
        }
        double sequential = seconds(t0);

        t0 = System.nanoTime();
        awaitAll(startWriters(launcher, train, dir.resolve("writers-at-once")));
        double concurrent = seconds(t0);

        String beside = dir.resolve("writers-and-runs").toString();
        List<Process> writers = startWriters(launcher, train, Path.of(beside));
        List<Double> runs = new ArrayList<>();
        Path besideData = Path.of(beside + ".mv.db");
        while (writers.stream().anyMatch(Process::isAlive)) {
            if (Files.notExists(besideData)) {
                // The first writer is still making the store: there is nothing to list yet.
                Thread.sleep(50);
                continue;
            }
            try {
                runs.add(processes.time(List.of("runs", "--db", beside)));
            } catch (IllegalStateException e) {
                // A hand-over between writers that the reader did not live through: look again.
                Thread.sleep(50);
            }
        }
        awaitAll(writers);

        out.figure("writers.one_by_one", sequential, "s", null, 0);
        out.figure("writers.at_once", concurrent, "s", null, 0);
        out.figure("writers.at_once_over_one_by_one", concurrent / sequential, "x", "<=", 1.5);
        double[] each = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (each.length > 0) {
            out.figure("writers.runs_beside_them.median", each[each.length / 2], "s", "<", 1);
            out.figure("writers.runs_beside_them.slowest", each[each.length - 1], "s", null, 0);
        }

        // A writer killed mid-run leaves the lock file of the store it served: the next command removes it at once.
        String killed = dir.resolve("writer-killed").toString();
        Process victim = Bench.background(launcher, with(List.of("train", "--epochs", "100000000", "-q"), "--db", killed));
        while (!storeAnswers(processes, killed)) {
            Thread.sleep(100);
        }
        victim.destroyForcibly().waitFor();
        out.figure("writers.runs_after_a_killed_writer", processes.time(List.of("runs", "--db", killed)), "s", "<", 1);
    }

    /** Whether the writer has made the store and it answers a query: the writer is training into it. */
    private static boolean storeAnswers(Bench.Command processes, String db) throws Exception {
        if (Files.notExists(Path.of(db + ".mv.db"))) {
            return false;
        }
        try {
            processes.time(List.of("sql", "SELECT 1 AS n FROM epoch_blocks LIMIT 1", "--db", db));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static List<Process> startWriters(Path launcher, List<String> train, Path db) throws IOException {
        List<Process> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            writers.add(Bench.background(launcher, with(train, "--name", "w" + i, "--db", db.toString())));
        }
        return writers;
    }

    private static void awaitAll(List<Process> writers) throws InterruptedException {
        for (Process p : writers) {
            int code = p.waitFor();
            if (code != 0) {
                throw new IllegalStateException("benchmark check failed: a writer into a shared store exited with " + code);
            }
        }
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(Arrays.asList(more));
        return all;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
