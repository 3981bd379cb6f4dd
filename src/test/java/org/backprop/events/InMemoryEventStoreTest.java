package org.backprop.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.backprop.model.RunConfig;
import org.backprop.replay.Verifier;
import org.backprop.store.StoreLocation;
import org.backprop.store.h2.H2EventStore;
import org.backprop.sweep.Fork;
import org.backprop.sweep.ForkRequest;
import org.backprop.sweep.SweepResult;
import org.backprop.sweep.Sweeper;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory store records what a real one records, so tests above the port can use either. */
class InMemoryEventStoreTest {
    @TempDir
    Path dir;

    @Test
    void aRunRecordedInMemoryHoldsTheSameBytesAsInH2AndVerifies() {
        RunConfig config = RunConfig.seed().withEpochs(3000);
        try (InMemoryEventStore memory = new InMemoryEventStore();
             H2EventStore h2 = H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()))) {
            new Trainer(memory).train(config, TrainingProgress.NONE);
            new Trainer(h2).train(config, TrainingProgress.NONE);
            assertArrayEquals(payloads(h2), payloads(memory), "every epoch's canonical bytes");
            assertEquals(h2.ended(1).map(e -> ((RunCompleted) e).finalParameters()), memory.ended(1).map(e -> ((RunCompleted) e).finalParameters()));
            assertEquals(h2.parametersAt(1, 1234), memory.parametersAt(1, 1234));
            assertTrue(new Verifier(memory).verify(1).ok(), new Verifier(memory).verify(1).line());
        }
    }

    @Test
    void sweepsAndForksOverTheInMemoryStoreEndAsOverH2() {
        List<Double> rates = List.of(0.1, 0.5, 2.0);
        try (InMemoryEventStore memory = new InMemoryEventStore();
             H2EventStore h2 = H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()))) {
            SweepResult inMemory = new Sweeper(memory, 2).run(RunConfig.seed(), rates, true);
            SweepResult inH2 = new Sweeper(h2, 2).run(RunConfig.seed(), rates, true);
            for (int i = 0; i < rates.size(); i++) {
                assertEquals(inH2.runs().get(i).finalParameters(), inMemory.runs().get(i).finalParameters(), "rate " + rates.get(i));
            }
            ForkRequest at50 = new ForkRequest(1, 50, 0.5, null, null);
            RunCompleted forkedInH2 = (RunCompleted) new Fork(h2).run(at50, null, TrainingProgress.NONE).end();
            RunCompleted forkedInMemory = (RunCompleted) new Fork(memory).run(at50, null, TrainingProgress.NONE).end();
            assertEquals(forkedInH2.finalParameters(), forkedInMemory.finalParameters());
            assertEquals(forkedInH2.epochs(), forkedInMemory.epochs());
            assertEquals(losses(h2.runs()), losses(memory.runs()), "each run's final and lowest loss and its epoch");
            assertEquals(losses(h2.runs(false)), losses(memory.runs(false)));
            assertTrue(losses(memory.runs(false)).stream().allMatch(l -> l.stream().allMatch(v -> v == null)), "no losses asked for, none read");
        }
    }

    private static List<List<Object>> losses(List<RunSummary> runs) {
        return runs.stream().map(r -> java.util.Arrays.<Object>asList(r.finalError(), r.bestError(), r.bestEpoch())).toList();
    }

    private static byte[] payloads(EventStore store) {
        List<byte[]> parts = new ArrayList<>();
        store.forEachBlock(1, b -> parts.add(b.payload()));
        int total = parts.stream().mapToInt(p -> p.length).sum();
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
