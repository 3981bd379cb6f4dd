package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.backprop.digest.JournalCheck;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunRecorder;
import org.backprop.events.StoreFaultException;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.replay.Verification;
import org.backprop.replay.Verifier;
import org.backprop.store.StoreAccess;
import org.backprop.store.StoreLocation;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The disk fails under a run being recorded, at every write it makes: the write fails, the device is full, or the
 * write is torn and the process dies with it. Each time the command hears one true sentence at once, and the store
 * opens, verifies every epoch it kept, and resumes the run to exactly what an undisturbed run records. The quick
 * subset here tries every write of a short run in each way; {@code scripts/fault-injection} tries a longer one.
 */
class FaultInjectionTest {
    /** More epochs: more commits, more writes to fail at (set by scripts/fault-injection). */
    private static final int EPOCHS = Integer.getInteger("backprop.faults.epochs", 1500);

    @TempDir
    static Path dir;

    private static Path template;
    private static Parameters reference;
    private static long writesOfACleanRun;
    private static long bytesOfACleanRun;

    /** A network wide enough that a short run commits several times. */
    static RunConfig config() {
        Network network = new Network(new int[] {8, 24, 4}, List.of(Activation.TANH, Activation.SIGMOID), true, true);
        Dataset data = new Dataset(new double[][] {{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}, {1, -1, 0.5, -0.5, 0, 0.25, -0.25, 1}},
                new double[][] {{0, 1, 0, 1}, {1, 0, 1, 0}});
        return new RunConfig("faulty", network, data, Parameters.random(network, 5), 5L, 0.3, EPOCHS);
    }

    @BeforeAll
    static void aCleanRunToCompareWith() throws IOException {
        template = dir.resolve("template");
        try (H2EventStore store = H2EventStore.open(StoreLocation.of(template.toString()))) {
            // An empty store, created whole; each case starts from a copy of it.
        }
        Path clean = copy("clean");
        FaultyFilePath.plan(FaultyFilePath.Mode.COUNT, 0);
        try (H2EventStore store = H2EventStore.open(faulty(clean), StoreAccess.WRITE)) {
            reference = ((RunCompleted) new Trainer(store).train(config(), TrainingProgress.NONE).end()).finalParameters();
        }
        writesOfACleanRun = FaultyFilePath.writes();
        bytesOfACleanRun = Files.size(Path.of(clean + ".mv.db"));
        FaultyFilePath.plan(FaultyFilePath.Mode.NONE, 0);
        assertTrue(writesOfACleanRun >= 4, "the run writes to its file several times: " + writesOfACleanRun);
    }

    @AfterEach
    void disarm() {
        FaultyFilePath.plan(FaultyFilePath.Mode.NONE, 0);
    }

    private static int cases;

    private static Path copy(String name) throws IOException {
        Path store = dir.resolve(name + "-" + cases++);
        Files.copy(Path.of(template + ".mv.db"), Path.of(store + ".mv.db"));
        // The store's own credentials travel with it, as the README says to keep them.
        Files.copy(Path.of(template + ".credentials"), Path.of(store + ".credentials"));
        return store;
    }

    private static StoreLocation faulty(Path store) {
        return new StoreLocation(FaultyFilePath.prefix() + store.toAbsolutePath(), store.toAbsolutePath());
    }

    static Stream<Arguments> everyWrite() {
        // Evaluated before @BeforeAll: count a clean run's writes here as well.
        List<Arguments> all = new ArrayList<>();
        long writes = Long.getLong("backprop.faults.writes", 12);
        for (long n = 1; n <= writes; n++) {
            all.add(Arguments.of(FaultyFilePath.Mode.FAIL_NTH_WRITE, n));
            all.add(Arguments.of(FaultyFilePath.Mode.TEAR_NTH_WRITE, n));
        }
        for (int percent = 5; percent <= 100; percent += 5) {
            all.add(Arguments.of(FaultyFilePath.Mode.FULL_AFTER_BYTES, (long) -percent));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWrite")
    void aFailingDiskIsNamedAtOnceAndLeavesAStoreThatVerifiesAndResumesExactly(FaultyFilePath.Mode mode, long n) throws IOException {
        long value = n < 0 ? bytesOfACleanRun * -n / 100 : n;
        if (mode != FaultyFilePath.Mode.FULL_AFTER_BYTES && n > writesOfACleanRun + 2) {
            return;
        }
        Path store = copy(mode.name().toLowerCase());
        FaultyFilePath.plan(mode, value);
        StoreFaultException fault = null;
        try {
            fault = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> record(store), "named at once, not after a minute of retries");
        } finally {
            FaultyFilePath.plan(FaultyFilePath.Mode.NONE, 0);
        }
        if (fault != null) {
            String expected = mode == FaultyFilePath.Mode.FULL_AFTER_BYTES ? "no space left on the device of " : "could not be written or read";
            assertTrue(fault.getMessage().contains(expected), fault.getMessage());
        }
        try (H2EventStore opened = H2EventStore.open(StoreLocation.of(store.toString()), StoreAccess.WRITE)) {
            for (long id : opened.runIds()) {
                Verification v = new Verifier(opened).verify(id);
                assertTrue(v.ok(), v.line());
            }
            assertTrue(new JournalCheck(opened).check(null).problems().isEmpty(), () -> new JournalCheck(opened).check(null).problems().toString());
            if (opened.runIds().isEmpty()) {
                assertInstanceOf(StoreFaultException.class, fault, "only a fault leaves no run");
                return;
            }
            if (opened.ended(1).isEmpty()) {
                try (RunRecorder recorder = opened.resume(1)) {
                    TrainingOutcome rest = Trainer.run(recorder, opened.parametersAt(1, recorder.nextEpoch()), TrainingProgress.NONE);
                    assertInstanceOf(RunCompleted.class, rest.end());
                }
                Verification v = new Verifier(opened).verify(1);
                assertTrue(v.ok(), v.line());
            }
            assertEquals(reference, ((RunCompleted) opened.ended(1).orElseThrow()).finalParameters(), "bit for bit what an undisturbed run ends with");
        }
    }

    /** Trains the run into the failing store; returns the fault it was stopped by, or null when the disk held out. */
    private static StoreFaultException record(Path store) {
        try (H2EventStore opened = H2EventStore.open(faulty(store), StoreAccess.WRITE)) {
            new Trainer(opened).train(config(), TrainingProgress.NONE);
            return null;
        } catch (StoreFaultException e) {
            return e;
        } catch (RuntimeException e) {
            fail("a failing disk must be named as such, not as: " + e, e);
            return null;
        }
    }
}
