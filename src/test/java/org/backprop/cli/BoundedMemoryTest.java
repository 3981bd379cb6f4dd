package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording never holds a run in memory: what waits to be committed is bounded, whatever the run's length. */
@Tag("slow")
class BoundedMemoryTest {
    private static final int EPOCHS = 150;

    @TempDir
    Path dir;

    @Test
    void aRunTwiceTheSizeOfTheHeapIsRecordedWhole() throws Exception {
        // 206 MB of epochs for the run, in a 96 MB heap.
        try (CliProcess train = trainWide("96m")) {
            assertEquals(0, train.waitFor(Duration.ofSeconds(120)), train.out() + train.err());
        }
        assertVerifies();
    }

    @Test
    void aHeapTooSmallForTheNetworkIsOneSentenceAndTheRunResumesWithMore() throws Exception {
        try (CliProcess train = trainWide("32m")) {
            assertEquals(1, train.waitFor(Duration.ofSeconds(120)), train.out() + train.err());
            assertTrue(train.err().startsWith("backprop: out of memory in a "), train.err());
            assertTrue(train.err().contains("BACKPROP_HEAP"), train.err());
            assertEquals(1, train.err().strip().lines().count(), "one line, no stack trace: " + train.err());
        }
        Cli.Result resumed = new Cli(dir).run("resume", "1", "-q", "--db", db());
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
        assertVerifies();
    }

    private String db() {
        return dir.resolve("store").toString();
    }

    /** verify re-executes every epoch from the start event and compares it, bit for bit, with what was stored. */
    private void assertVerifies() {
        Cli.Result verify = new Cli(dir).run("verify", "1", "--db", db());
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        assertEquals("run 1 'wide': ok: " + EPOCHS + " epochs re-executed bit for bit, hash chain intact, completed", verify.out().strip());
    }

    private CliProcess trainWide(String heap) throws java.io.IOException {
        return CliProcess.startWithHeap(dir, heap, "train", "--config", wideConfig(EPOCHS).toString(), "-q", "--db", db());
    }

    /** The benchmark's wide network: 171,571 doubles (1.37 MB) an epoch. */
    private Path wideConfig(int epochs) throws java.io.IOException {
        String inputs = IntStream.range(0, 64).mapToObj(i -> Double.toString((i * 37 % 100) / 100.0)).collect(Collectors.joining(", "));
        return Files.writeString(dir.resolve("wide.json"), """
                {"name": "wide", "layers": [64, 256, 256, 10], "activations": ["sigmoid", "sigmoid", "identity"],
                 "seed": 1, "biases": true, "trainBiases": true, "inputs": [[%s]],
                 "targets": [[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]], "learningRate": 0.01, "epochs": %d}"""
                .formatted(inputs, epochs));
    }
}
