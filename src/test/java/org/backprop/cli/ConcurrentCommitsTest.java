package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parallel sweep's runs commit from several threads into one store. Recorded after a worker's runs, that left the
 * file with overlapping chunks ("Double mark", unreadable) about one time in seven while the commits could run at
 * once; repeated, so that a return of the fault shows.
 */
@Tag("slow")
class ConcurrentCommitsTest {
    @TempDir
    Path dir;

    @RepeatedTest(20)
    void aParallelSweepAfterAWorkersRunsLeavesAStoreThatOpensAndVerifies() {
        Cli cli = new Cli(dir);
        ok(cli.run("sweep", "--lr", "0.1,0.5,2.0", "--epochs", "300", "--queue"));
        ok(cli.run("worker", "--quiet"));
        ok(cli.run("sweep", "--lr", "0.1,0.5,2.0", "--epochs", "300", "--quiet"));
        assertEquals(6, ok(cli.run("runs", "--format", "csv")).lines().stream().filter(l -> l.contains(",300,300,completed,")).count());
        ok(cli.run("verify"));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.exitCode(), r.err());
        return r;
    }
}
