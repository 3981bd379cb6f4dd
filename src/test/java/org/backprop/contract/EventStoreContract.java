package org.backprop.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.backprop.cli.Cli;
import org.backprop.digest.JournalCheck;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.ResumeRefusedException;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunSummary;
import org.backprop.events.UnknownRunException;
import org.backprop.model.Activation;
import org.backprop.model.Backprop;
import org.backprop.model.Dataset;
import org.backprop.model.EpochResult;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.model.SeedTable;
import org.backprop.replay.Verifier;
import org.backprop.sweep.Fork;
import org.backprop.sweep.ForkRequest;
import org.backprop.sweep.SweepResult;
import org.backprop.sweep.Sweeper;
import org.backprop.training.StopSignal;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every store behind the {@link EventStore} port does, whichever adapter: it records runs and hands back the
 * very doubles computed, lets only one writer write a run, resumes interrupted runs bit for bit, journals everything
 * so that verify and digest cover it, moves runs to and from other stores by export and import, and answers bad input
 * with one line. Subclasses give the store; tests that need SQL or the command line are skipped where a store has none.
 */
abstract class EventStoreContract {
    @TempDir
    Path dir;

    /** The store of the running test. */
    protected abstract StoreUnderTest store();

    /** A 3-4-2 network with trained biases on two samples: every part of the layout is exercised. */
    static RunConfig biased() {
        Network network = new Network(new int[] {3, 4, 2}, List.of(Activation.TANH, Activation.SIGMOID), true, true);
        Dataset data = new Dataset(new double[][] {{0.1, 0.2, 0.3}, {1, -1, 0.5}}, new double[][] {{0, 1}, {1, 0}});
        return new RunConfig("biased", network, data, Parameters.random(network, 3), 3L, 0.7, 40);
    }

    /** The same with biases that are not trained. */
    static RunConfig fixedBiases() {
        Network network = new Network(new int[] {2, 3, 1}, List.of(Activation.RELU, Activation.IDENTITY), true, false);
        Dataset data = new Dataset(new double[][] {{0, 1}, {1, 0}, {1, 1}}, new double[][] {{1}, {1}, {0}});
        return new RunConfig("fixed", network, data, Parameters.random(network, 5), 5L, 0.05, 25);
    }

    private Cli cli() {
        Cli cli = store().cli();
        assumeTrue(cli != null, "this store has no command line (it lives in this process only)");
        return cli;
    }

    @Test
    void aRunReadsBackAsItWasComputedBitForBit() {
        RunConfig config = biased();
        try (EventStore store = store().open()) {
            long id = new Trainer(store).train(config, TrainingProgress.NONE).started().runId();
            assertEquals(config, store.started(id).config());
            List<EpochRecorded> epochs = store.epochs(id, 0, 1000);
            assertEquals(40, epochs.size());
            Parameters p = config.initial();
            for (EpochRecorded e : epochs) {
                EpochResult expected = Backprop.epoch(config.network(), config.data(), p, config.learningRate());
                assertEquals(p, e.before());
                assertArrayEquals(expected.netInputs(), e.netInputs());
                assertArrayEquals(expected.activations(), e.activations());
                assertArrayEquals(expected.deltas(), e.deltas());
                assertArrayEquals(expected.weightGradients(), e.weightGradients());
                assertArrayEquals(expected.biasGradients(), e.biasGradients());
                assertEquals(expected.loss(), e.loss());
                p = expected.after();
            }
            assertEquals(p, ((RunCompleted) store.ended(id).orElseThrow()).finalParameters());
            assertEquals(p, store.parametersAt(id, 40));
            assertEquals(epochs.get(17).before(), store.parametersAt(id, 17));
            assertEquals(40, store.epochCount(id));
            assertEquals(epochs.subList(10, 13), store.epochs(id, 10, 12));
            assertEquals(id, store.resolve("biased"));
        }
    }

    @Test
    void theChainedSweepReproducesTheSeedTable() {
        SeedTable table = SeedTable.load();
        List<Double> rates = table.rows().stream().map(SeedTable.Row::learningRate).toList();
        try (EventStore store = store().open()) {
            SweepResult result = new Sweeper(store, 2).run(RunConfig.seed(), rates, true);
            for (int i = 0; i < rates.size(); i++) {
                SeedTable.Row row = table.rows().get(i);
                for (int w = 0; w < 8; w++) {
                    SeedTable.assertClose(row.finalWeights()[w], result.runs().get(i).finalParameters().weight(w), 1e-12, "rate " + rates.get(i) + " w" + (w + 1));
                }
                SeedTable.assertClose(row.finalError(), result.runs().get(i).finalError(), 1e-12, "rate " + rates.get(i) + " error");
            }
            assertTrue(store.sweep(result.sweepId()).orElseThrow().chained());
            assertEquals(result.runs().stream().map(r -> r.runId()).toList(), store.sweepRuns(result.sweepId()));
        }
    }

    @Test
    void anIndependentSweepOnSeveralThreadsEqualsItsRunsTrainedOneByOne() {
        List<Double> rates = List.of(0.1, 0.5, 2.0, 4.0);
        try (EventStore store = store().open()) {
            SweepResult parallel = new Sweeper(store, 3).run(RunConfig.seed().withEpochs(500), rates, false);
            for (int i = 0; i < rates.size(); i++) {
                RunConfig alone = RunConfig.seed().withEpochs(500).withLearningRate(rates.get(i));
                TrainingOutcome outcome = new Trainer(store).train(alone, TrainingProgress.NONE);
                assertEquals(((RunCompleted) outcome.end()).finalParameters(), parallel.runs().get(i).finalParameters(), "rate " + rates.get(i));
                assertEquals(parallel.runs().get(0).runId() + i, parallel.runs().get(i).runId(), "run ids follow the order of the rates");
            }
        }
    }

    @Test
    void aForkContinuesItsParentBitForBit() {
        try (EventStore store = store().open()) {
            long parent = new Trainer(store).train(RunConfig.seed(), TrainingProgress.NONE).started().runId();
            TrainingOutcome fork = new Fork(store).run(new ForkRequest(parent, 50, null, null, null), null, TrainingProgress.NONE);
            assertEquals(((RunCompleted) store.ended(parent).orElseThrow()).finalParameters(), ((RunCompleted) fork.end()).finalParameters());
            assertEquals(parent, fork.started().lineage().parentRunId());
            assertEquals(store.epochs(parent, 50, 99).stream().map(EpochRecorded::loss).toList(),
                    store.epochs(fork.started().runId(), 0, 49).stream().map(EpochRecorded::loss).toList());
        }
    }

    @Test
    void aResumedRunEqualsARunNeverInterrupted() {
        RunConfig config = biased().withEpochs(3000);
        try (EventStore store = store().open()) {
            int[] epochs = {0};
            StopSignal stopAt1234 = () -> epochs[0] >= 1234;
            long id;
            try (RunRecorder recorder = store.start(config, null, null)) {
                id = recorder.started().runId();
                Trainer.run(recorder, config.initial(), (epoch, total, loss) -> epochs[0] = epoch + 1, stopAt1234);
            }
            assertEquals(1234, store.epochCount(id));
            assertEquals("interrupted", status(store, id));
            try (RunRecorder recorder = store.resume(id)) {
                assertEquals(1234, recorder.nextEpoch());
                Trainer.run(recorder, store.parametersAt(id, 1234), TrainingProgress.NONE);
            }
            long whole = new Trainer(store).train(config, TrainingProgress.NONE).started().runId();
            assertEquals(store.ended(whole).map(e -> ((RunCompleted) e).finalParameters()), store.ended(id).map(e -> ((RunCompleted) e).finalParameters()));
            assertArrayEquals(payloads(store, whole), payloads(store, id), "every epoch's canonical bytes");
            assertTrue(new Verifier(store).verify(id).ok(), new Verifier(store).verify(id).line());
            ResumeRefusedException done = assertThrows(ResumeRefusedException.class, () -> store.resume(id).close());
            assertTrue(done.getMessage().contains("has already completed"), done.getMessage());
        }
    }

    @Test
    void aRunBeingWrittenCanBeNeitherResumedNorWrittenByAnother() {
        try (EventStore store = store().open()) {
            RunConfig config = RunConfig.seed().withEpochs(1000);
            long id;
            try (RunRecorder writer = store.start(config, null, null)) {
                id = writer.started().runId();
                assertEquals("running", status(store, id));
                ResumeRefusedException busy = assertThrows(ResumeRefusedException.class, () -> store.resume(id).close());
                assertTrue(busy.getMessage().contains("is still being written"), busy.getMessage());
            }
            assertEquals("interrupted", status(store, id));
            try (RunRecorder again = store.resume(id)) {
                assertEquals("running", status(store, id));
                Trainer.run(again, store.parametersAt(id, again.nextEpoch()), TrainingProgress.NONE);
            }
            assertEquals("completed", status(store, id));
        }
    }

    @Test
    void writersAtOnceGetRunsOfTheirOwnAndEverythingIsJournaled() throws Exception {
        try (EventStore store = store().open()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<TrainingOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                double rate = 0.1 * (i + 1);
                outcomes.add(pool.submit(() -> new Trainer(store).train(RunConfig.seed().withEpochs(700).withLearningRate(rate), TrainingProgress.NONE)));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<TrainingOutcome> f : outcomes) {
                ids.add(f.get().started().runId());
            }
            pool.shutdown();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), ids.stream().sorted().toList());
            for (long id : ids) {
                assertTrue(new Verifier(store).verify(id).ok(), new Verifier(store).verify(id).line());
            }
            JournalCheck.Report report = new JournalCheck(store).check(null);
            assertTrue(report.ok(), String.valueOf(report.problems()));
            assertEquals(8 * (1 + 700 + 1), report.events());
        }
    }

    @Test
    void unknownRunsAndEpochsAreNamed() {
        try (EventStore store = store().open()) {
            new Trainer(store).train(RunConfig.seed(), TrainingProgress.NONE);
            assertTrue(assertThrows(UnknownRunException.class, () -> store.started(9)).getMessage().contains("there is no run 9"));
            assertTrue(assertThrows(UnknownRunException.class, () -> store.resolve("nine")).getMessage().contains("there is no run 'nine'"));
            assertTrue(assertThrows(UnknownRunException.class, () -> store.parametersAt(1, 101)).getMessage().contains("has no epoch 101"));
            assertEquals(List.of(), store.epochs(1, 100, 200));
            assertEquals(Optional.empty(), store.sweep(5));
        }
    }

    @Test
    void aRunExportedHereImportsIntoEitherKindOfStoreBitForBit() {
        Cli cli = cli();
        assertEquals(0, cli.run("train", "--config", config(biased()), "-q").exitCode());
        Path file = dir.resolve("run.jsonl");
        Cli.Result exported = cli.run("export", "1", "--format", "jsonl", "--out", file.toString());
        assertEquals(0, exported.exitCode(), exported.err());
        Cli h2 = new Cli(folder("other"));
        Cli.Result imported = h2.run("import", file.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertEquals(0, cli.run("import", file.toString()).exitCode(), "back into a store of this kind");
        Cli.Result verified = h2.run("verify");
        assertEquals(0, verified.exitCode(), verified.out() + verified.err());
        assertEquals(0, cli.run("verify").exitCode());
        Path again = dir.resolve("again.jsonl");
        assertEquals(0, h2.run("export", "1", "--format", "jsonl", "--out", again.toString()).exitCode());
        Path back = dir.resolve("back.jsonl");
        assertEquals(0, cli.run("export", "2", "--format", "jsonl", "--out", back.toString()).exitCode());
        assertEquals(epochLines(file), epochLines(again), "H2 holds the epochs this store exported, value for value");
        assertEquals(epochLines(file), epochLines(back), "and so does this store, imported back");
    }

    @Test
    void verifyAndDigestCoverEveryEventStored() {
        Cli cli = cli();
        assertEquals(0, cli.run("sweep", "--lr", "0.1,0.5", "-q").exitCode());
        assertEquals(0, cli.run("train", "--config", config(fixedBiases()), "-q").exitCode());
        Cli.Result verify = cli.run("verify");
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        assertTrue(verify.out().contains("journal: ok: 10 entries hold 231 events, chained from the store's id"), verify.out());
        Cli.Result digest = cli.run("digest");
        assertEquals(0, digest.exitCode(), digest.err());
        assertTrue(digest.out().startsWith("backprop-digest/1 store="), digest.out());
        Cli.Result against = cli.run("verify", "--against", digest.out().strip());
        assertEquals(0, against.exitCode(), against.out() + against.err());
        try (EventStore store = store().open()) {
            JournalCheck.Report report = new JournalCheck(store).check(null);
            assertTrue(report.ok(), String.valueOf(report.problems()));
            assertEquals((1 + 100 + 1) * 2 + (1 + 25 + 1), report.events());
        }
    }

    @Test
    void badInputGetsOneLineAndExitCodeTwo() {
        Cli cli = cli();
        assertEquals(0, cli.run("train", "-q").exitCode());
        assertBad(cli.run("replay", "9"), "there is no run '9'");
        assertBad(cli.run("state", "1", "--epoch", "500"), "has no epoch 500");
        assertBad(cli.run("resume", "1"), "has already completed");
        assertBad(cli.run("sql", "SELECT 1; SELECT 2"), "give one query");
        assertBad(cli.run("sql", "DELETE FROM run_started"), "the sql command only reads");
        assertBad(cli.run("sql", "SELECT nothing FROM nowhere"), "the query is not valid SQL for this store");
        assertBad(cli.run("sql", "SELECT * FROM run_diff(1, 7)"), "there is no run 7");
        assertBad(cli.run("diff", "1", "8"), "there is no run '8'");
        assertBad(cli.run("plot", "--sweep", "3", "--out", dir.resolve("x.png").toString()), "there is no sweep 3");
    }

    private static void assertBad(Cli.Result r, String expected) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void queuedRunsAreClaimedOnceAndLeaveNothingBehind() {
        assumeTrue(store().hasQueue(), "this store keeps no queue");
        try (EventStore store = store().open()) {
            List<RunConfig> configs = List.of(RunConfig.seed().withName("q-lr0.1"), RunConfig.seed().withName("q-lr0.5").withLearningRate(0.5));
            long sweep = store.newSweep(false);
            store.queueSweep(sweep, configs);
            assertEquals(List.of("planned", "planned"), store.runs().stream().map(RunSummary::status).toList());
            assertEquals(2, store.unfinishedQueuedRuns(sweep));
            try (RunRecorder first = store.claimQueuedRun(sweep).orElseThrow(); RunRecorder second = store.claimQueuedRun(null).orElseThrow()) {
                assertEquals(List.of(1L, 2L), List.of(first.started().runId(), second.started().runId()));
                assertEquals(Optional.empty(), store.claimQueuedRun(null).map(r -> {
                    r.close();
                    return r.started().runId();
                }), "both are taken");
                Trainer.run(first, store.parametersAt(1, 0), TrainingProgress.NONE);
            }
            assertEquals(List.of("completed", "planned"), store.runs().stream().map(RunSummary::status).toList(),
                    "a claimed run that stored no epoch is planned again");
            assertEquals(1, store.unfinishedQueuedRuns(null));
            try (RunRecorder again = store.claimQueuedRun(null).orElseThrow()) {
                assertEquals(2, again.started().runId());
                Trainer.run(again, store.parametersAt(2, 0), TrainingProgress.NONE);
            }
            assertEquals(0, store.unfinishedQueuedRuns(sweep));
            assertEquals(Optional.empty(), store.claimQueuedRun(null));
            long alone = new Trainer(store).train(RunConfig.seed().withLearningRate(0.5), TrainingProgress.NONE).started().runId();
            assertArrayEquals(payloads(store, alone), payloads(store, 2), "a worker's run holds what training it here holds");
        }
    }

    @Test
    void aStoreWithoutAQueueSaysWhereSweepsAreQueued() {
        assumeTrue(!store().hasQueue(), "this store keeps a queue");
        try (EventStore store = store().open()) {
            var e = assertThrows(RuntimeException.class, () -> store.queueSweep(store.newSweep(false), List.of(RunConfig.seed())));
            assertTrue(e.getMessage().contains("PostgreSQL"), e.getMessage());
        }
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String status(EventStore store, long id) {
        return store.summary(id).orElseThrow().status();
    }

    static byte[] payloads(EventStore store, long id) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        store.forEachBlock(id, b -> all.writeBytes(b.payload()));
        return all.toByteArray();
    }

    /** The epoch lines of an export, without the hashes (a run's hashes cover its id, which import changes). */
    static List<String> epochLines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith("{\"event\":\"EpochRecorded\""))
                    .map(l -> l.replaceAll("\"runId\":[0-9]+,", "").replaceAll(",\"hash\":\"[0-9a-f]+\"", "")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A run configuration file for {@code train --config}. */
    String config(RunConfig config) {
        try {
            Path file = dir.resolve(config.name() + ".json");
            StringBuilder json = new StringBuilder("{\"name\": \"" + config.name() + "\", \"layers\": " + Arrays.toString(config.network().layers())
                    + ", \"activations\": [" + String.join(", ", config.network().activations().stream().map(a -> "\"" + a.label() + "\"").toList())
                    + "], \"weights\": " + Arrays.toString(config.initial().weights()));
            if (config.network().biased()) {
                json.append(", \"biases\": ").append(Arrays.toString(config.initial().biases())).append(", \"trainBiases\": ")
                        .append(config.network().trainBiases());
            }
            json.append(", \"inputs\": ").append(Arrays.deepToString(config.data().inputs())).append(", \"targets\": ")
                    .append(Arrays.deepToString(config.data().targets())).append(", \"learningRate\": ").append(config.learningRate())
                    .append(", \"epochs\": ").append(config.epochs()).append("}");
            Files.writeString(file, json.toString());
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
