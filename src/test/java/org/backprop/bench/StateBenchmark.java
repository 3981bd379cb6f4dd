package org.backprop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.replay.Replay;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.StoreLocation;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;

/**
 * How long {@code state RUN --epoch N} takes inside the process for a run of 100,000 epochs: it must read one stored
 * row, not every earlier epoch. Not a test: run it by hand (see the README) and read the numbers.
 */
public final class StateBenchmark {
    private StateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path dir = Files.createTempDirectory("state-benchmark");
        StoreLocation location = StoreLocation.of(dir.resolve("store").toString());
        long t0 = System.nanoTime();
        try (H2EventStore store = H2EventStore.open(location)) {
            new Trainer(store).train(RunConfig.seed().withEpochs(epochs), TrainingProgress.NONE);
        }
        System.out.printf("trained the seed run for %,d epochs in %.1f s%n", epochs, (System.nanoTime() - t0) / 1e9);
        try (H2EventStore store = H2EventStore.open(location)) {
            Replay replay = new Replay(store, 1);
            SplittableRandom random = new SplittableRandom(1);
            double sink = 0;
            for (int i = 0; i < lookups; i++) {
                sink += replay.stateAt(random.nextInt(epochs)).weight(0);
            }
            long[] nanos = new long[lookups];
            for (int i = 0; i < lookups; i++) {
                int epoch = random.nextInt(epochs + 1);
                long start = System.nanoTime();
                Parameters p = replay.stateAt(epoch);
                nanos[i] = System.nanoTime() - start;
                sink += p.weight(0);
            }
            Arrays.sort(nanos);
            System.out.printf("state at %,d random epochs (after %,d warm-up lookups): median %.3f ms, p99 %.3f ms, max %.3f ms (checksum %s)%n",
                    lookups, lookups, nanos[lookups / 2] / 1e6, nanos[lookups * 99 / 100] / 1e6, nanos[lookups - 1] / 1e6, sink);
        }
        System.out.printf("store: %,d bytes%n", Files.size(location.dataFile()));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
