package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep --queue, backprop worker and backprop sweeps on an H2 store, in this process. */
class QueuedSweepCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void aQueuedSweepIsPlannedThenTrainedByAWorkerIntoTheRunsASweepTrainedHereHas() throws Exception {
        Cli cli = new Cli(dir);
        Cli.Result queued = cli.run("sweep", "--lr", "0.1,0.5,2.0", "--epochs", "300", "--queue");
        assertEquals(0, queued.exitCode(), queued.err());
        assertTrue(queued.out().contains("progress: 0 of 3 runs done, 3 planned"), queued.out());
        assertTrue(queued.out().contains("status         planned          planned          planned"), queued.out());
        assertTrue(queued.out().contains("workers train it:  backprop worker --db " + cli.store() + ".mv.db"), queued.out());
        Cli.Result listed = cli.run("sweeps");
        assertEquals(0, listed.exitCode(), listed.err());
        assertEquals("sweep_id  chained  runs  completed  failed  running  interrupted  planned", listed.lines().get(0).substring(0, 73));
        assertTrue(listed.lines().get(1).startsWith("       1  false       3          0       0        0            0        3  "), listed.out());
        Path png = dir.resolve("queued.png");
        Cli.Result plot = cli.run("plot", "--sweep", "1", "--out", png.toString());
        assertEquals(0, plot.exitCode(), plot.err());
        assertEquals(1000, javax.imageio.ImageIO.read(png.toFile()).getWidth(), "a chart of a sweep no run of which has an epoch yet");

        Cli.Result worker = cli.run("worker", "--quiet");
        assertEquals(0, worker.exitCode(), worker.err());
        assertEquals(List.of("run 1 'seed-lr0.1' of sweep 1: training its 300 epochs", "run 1: completed, 300 epochs recorded, final error "),
                worker.lines().subList(0, 2).stream().map(l -> l.replaceAll("final error .*", "final error ")).toList());
        assertEquals("worker done: trained 3 runs; every queued run has ended", worker.lines().get(worker.lines().size() - 1));
        assertTrue(cli.run("sweeps").lines().get(1).startsWith("       1  false       3          3       0        0            0        0  "));

        Cli.Result local = cli.run("sweep", "--lr", "0.1,0.5,2.0", "--epochs", "300", "--quiet");
        assertEquals(0, local.exitCode(), local.err());
        assertEquals(table(local), table(cli.run("sweeps", "1")), "the worker's runs end where the runs of a sweep trained here end");
        assertEquals(0, cli.run("verify").exitCode());

        Cli.Result idle = cli.run("worker", "--quiet");
        assertEquals(List.of("worker done: trained 0 runs; every queued run has ended"), idle.lines());
    }

    @Test
    void badQueueAndWorkerRequestsAreOneLineAndExitTwo() {
        Cli cli = new Cli(dir);
        bad(cli.run("sweep", "--lr", "0.1,0.5", "--queue", "--chained"), "a chained sweep cannot be queued");
        bad(cli.run("sweep", "--lr", "0.1,0.5", "--queue", "--plot", dir.resolve("x.png").toString()), "backprop plot --sweep ID");
        bad(cli.run("sweep", "--lr", "0.1,0.5", "--queue", "--threads", "2"), "start more workers instead");
        bad(cli.run("worker", "--poll", "0"), "--poll is 0 seconds: give 1 or more");
        assertEquals(0, cli.run("train", "--quiet").exitCode());
        bad(cli.run("worker", "--sweep", "9"), "there is no sweep 9 in ");
        bad(cli.run("sweeps", "9"), "there is no sweep 9 in ");
    }

    private static void bad(Cli.Result r, String expected) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    /** A sweep's table without its heading and run ids, which differ between two sweeps of the same runs. */
    private static List<String> table(Cli.Result r) {
        assertEquals(0, r.exitCode(), r.err());
        return r.lines().stream().filter(l -> !l.startsWith("sweep ") && !l.startsWith("run ")).toList();
    }
}
