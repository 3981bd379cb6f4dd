package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.replay.RecordedRuns;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.StoreLocation;
import org.backprop.events.EpochCodec;
import org.backprop.events.EventHashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportTest {
    private static final String REFUSED = ", so the file is not what its run recorded (it was changed after export, or exported from a"
            + " damaged store); nothing was imported";

    @TempDir
    Path dir;

    private H2EventStore open(Path store) {
        return H2EventStore.open(StoreLocation.of(store.toString()));
    }

    private Path config(String name, String json) throws IOException {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void csvOfTheSeedRunIsTheEpochSheetViewAsIs() {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train").exitCode());
        Cli.Result export = cli.run("export", "1", "--format", "csv");
        assertEquals(0, export.exitCode(), export.err());
        Cli.Result view = cli.run("sql", "SELECT * FROM epoch_sheet WHERE run_id = 1 ORDER BY epoch", "--format", "csv");
        assertEquals(101, export.lines().size());
        assertEquals(view.out(), export.out());
    }

    @Test
    void csvOfAnotherNetworkHasAColumnPerValueNamedAfterTheViews() throws IOException {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--config", "scripts/examples/xor.json", "--epochs", "20", "-q").exitCode());
        Path out = dir.resolve("xor.csv");
        Cli.Result export = cli.run("export", "xor", "--format", "csv", "--out", out.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertEquals("exported run 1 'xor' (20 epochs) as csv to " + out, export.out().strip());
        List<String> lines = Files.readAllLines(out);
        assertEquals(21, lines.size());
        List<String> columns = List.of(lines.get(0).split(","));
        assertEquals(List.of("run_id", "epoch", "learning_rate", "w1"), columns.subList(0, 4));
        for (String c : List.of("b4", "net_input_s1_l1_n1", "activation_s4_l2_n1", "delta_s2_l1_n3", "error_s3_o1", "total_error", "gradient_w9",
                "gradient_b4")) {
            assertTrue(columns.contains(c), c + " in " + columns);
        }
        List<String> row7 = List.of(lines.get(8).split(","));
        String gradient = cli.run("sql", "SELECT gradient FROM gradients WHERE run_id = 1 AND epoch = 7 AND weight = 'w5'", "--format", "csv").lines().get(1);
        assertEquals(gradient, row7.get(columns.indexOf("gradient_w5")));
        String activation = cli.run("sql", "SELECT activation FROM forward_values WHERE run_id = 1 AND epoch = 7 AND sample = 4 AND layer = 2",
                "--format", "csv").lines().get(1);
        assertEquals(activation, row7.get(columns.indexOf("activation_s4_l2_n1")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".part")).toList(), "no partial file is left behind");
        }
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out), "the export is as readable as any new file");
    }

    @Test
    void exportThenImportIntoAnotherStoreThenVerifyRoundTripsEveryDoubleBitForBit() throws IOException {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train").exitCode());
        assertEquals(0, cli.run("train", "--config", "scripts/examples/xor.json", "--epochs", "40", "-q").exitCode());
        assertEquals(0, cli.run("train", "-q", "--config", config("fixed", """
                {"layers": [3, 4, 2], "activations": ["relu", "identity"], "seed": 7, "biases": true, "trainBiases": false,
                 "inputs": [[0.1, 0.2, 0.3], [1, -1, 0.5]], "targets": [[0, 1], [1, 0]], "learningRate": 0.05, "epochs": 30}""").toString()).exitCode());
        assertEquals(1, cli.run("train", "-q", "--config", config("diverges", """
                {"layers": [1, 1], "activations": ["identity"], "weights": [1.0], "inputs": [[1000]], "targets": [[0]],
                 "learningRate": 10, "epochs": 100}""").toString()).exitCode());
        try (H2EventStore store = open(cli.store())) {
            RecordedRuns.cutShort(store, 9);
        }
        Cli other = new Cli(dir.resolve("other"));
        Files.createDirectories(dir.resolve("other"));
        assertEquals(0, other.run("train", "--epochs", "3").exitCode(), "the other store has a run of its own, so ids move");
        for (long id = 1; id <= 5; id++) {
            Path file = dir.resolve("run" + id + ".jsonl");
            Cli.Result export = cli.run("export", String.valueOf(id), "--format", "jsonl", "--out", file.toString());
            assertEquals(0, export.exitCode(), export.err());
            Cli.Result imported = other.run("import", file.toString());
            assertEquals(0, imported.exitCode(), imported.err());
            assertTrue(imported.out().startsWith("imported " + file + " as run " + (id + 1) + " '"), imported.out());
        }
        Cli.Result verify = other.run("verify");
        assertEquals(0, verify.exitCode(), verify.out());
        assertEquals(6, verify.lines().stream().filter(l -> l.startsWith("run ")).count(), verify.out());
        assertTrue(verify.lines().stream().allMatch(l -> l.contains(": ok: ")), verify.out());

        try (H2EventStore from = open(cli.store()); H2EventStore to = open(other.store())) {
            for (long id = 1; id <= 5; id++) {
                long copy = id + 1;
                RunStarted a = from.started(id);
                RunStarted b = to.started(copy);
                assertEquals(a.config(), b.config());
                assertEquals(a.createdAt(), b.createdAt());
                int count = from.epochCount(id);
                assertEquals(count, to.epochCount(copy));
                List<EpochRecorded> expected = new ArrayList<>();
                for (EpochRecorded e : from.epochs(id, 0, count)) {
                    expected.add(new EpochRecorded(copy, e.epoch(), e.before(), e.netInputs(), e.activations(), e.deltas(),
                            e.weightGradients(), e.biasGradients(), e.loss()));
                }
                assertEquals(expected, to.epochs(copy, 0, count), "run " + id);
                assertEquals(from.ended(id).map(ExportImportTest::withoutId), to.ended(copy).map(ExportImportTest::withoutId));
            }
            assertTrue(from.ended(4).orElseThrow() instanceof RunFailed);
            assertTrue(to.ended(6).isEmpty(), "the cut-short run stays without an end");
        }
        Cli.Result again = other.run("export", "3", "--format", "jsonl");
        List<String> original = Files.readAllLines(dir.resolve("run2.jsonl"));
        List<String> reexported = again.lines();
        assertEquals(original.size(), reexported.size());
        assertEquals(original.get(5).replaceAll("\"runId\":2,", "").replaceAll(",\"hash\":\"[0-9a-f]+\"", ""),
                reexported.get(5).replaceAll("\"runId\":3,", "").replaceAll(",\"hash\":\"[0-9a-f]+\"", ""),
                "the same values; only the run id and the hashes, which cover it, changed");
    }

    private static RunEvent withoutId(RunEvent e) {
        return switch (e) {
            case RunCompleted c -> new RunCompleted(0, c.epochs(), c.finalParameters(), c.endedAt());
            case RunFailed f -> new RunFailed(0, f.epoch(), f.reason(), f.endedAt());
            default -> e;
        };
    }

    /** Exports run 1 of a fresh store as JSON Lines and returns the file's lines. */
    private List<String> exportedSeedRun(Cli cli, Path file) throws IOException {
        assertEquals(0, cli.run("train", "--epochs", "40").exitCode());
        assertEquals(0, cli.run("export", "1", "--format", "jsonl", "--out", file.toString()).exitCode());
        return Files.readAllLines(file);
    }

    private static void assertOneLineBadInput(Cli.Result r, String expected) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals("backprop: " + expected, r.err().strip());
    }

    @Test
    void aFileChangedAfterExportIsRefusedInOneLineAndNothingIsImported() throws IOException {
        Cli cli = new Cli(dir);
        Path file = dir.resolve("run1.jsonl");
        List<String> lines = exportedSeedRun(cli, file);
        Path target = dir.resolve("target");
        Files.createDirectories(target);
        Cli other = new Cli(target);

        List<String> edited = new ArrayList<>(lines);
        String line30 = edited.get(29);
        String loss = line30.replaceAll(".*\"loss\":([^,]+),.*", "$1");
        edited.set(29, line30.replace("\"loss\":" + loss + ",", "\"loss\":" + Math.nextUp(Double.parseDouble(loss)) + ","));
        assertFalse(edited.get(29).equals(line30));
        Path tampered = dir.resolve("tampered.jsonl");
        Files.write(tampered, edited);
        assertOneLineBadInput(other.run("import", tampered.toString()), tampered + " line 30: the hash of epoch 28 does not match its values"
                + REFUSED);
        assertFalse(Files.exists(target.resolve("store.mv.db")), "not even an empty store was made");

        List<String> gap = new ArrayList<>(lines);
        gap.remove(10);
        Files.write(tampered, gap);
        assertOneLineBadInput(other.run("import", tampered.toString()), tampered + " line 11: epoch 9 is missing before epoch 10"
                + REFUSED);

        List<String> renamed = new ArrayList<>(lines);
        renamed.set(0, renamed.get(0).replace("\"name\":\"seed\"", "\"name\":\"forged\""));
        Files.write(tampered, renamed);
        assertOneLineBadInput(other.run("import", tampered.toString()), tampered + " line 1: the hash of run 1's start event does not match"
                + " its configuration" + REFUSED);

        assertEquals(0, other.run("train", "--epochs", "2").exitCode());
        List<String> lastChanged = new ArrayList<>(lines);
        String end = lastChanged.get(lastChanged.size() - 1);
        String w1 = end.replaceAll(".*\"finalWeights\":\\[([^,]+),.*", "$1");
        lastChanged.set(lastChanged.size() - 1, end.replace("[" + w1 + ",", "[" + Math.nextDown(Double.parseDouble(w1)) + ","));
        assertFalse(lastChanged.get(lastChanged.size() - 1).equals(end));
        Files.write(tampered, lastChanged);
        assertOneLineBadInput(other.run("import", tampered.toString()), tampered + " line 42: the hash of the end event does not match"
                + " its values" + REFUSED);
        assertEquals(2, other.run("runs", "--format", "csv").lines().size(), "the store still holds only its own run");
    }

    @Test
    void anImportedRunRecordsTheStoreRunAndFileItCameFromInItsHashedStartEvent() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "30").exitCode());
        assertEquals(0, cli.run("train", "--epochs", "20", "--name", "second").exitCode());
        Path file = dir.resolve("run2.jsonl");
        assertEquals(0, cli.run("export", "2", "--format", "jsonl", "--out", file.toString()).exitCode());
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        java.util.UUID source;
        try (H2EventStore from = open(cli.store())) {
            source = from.storeId();
        }
        Files.createDirectories(dir.resolve("other"));
        Cli other = new Cli(dir.resolve("other"));
        Cli.Result imported = other.run("import", file.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("(it was run 2 of store " + source + ")"), imported.out());
        try (H2EventStore to = open(other.store())) {
            org.backprop.events.ImportOrigin origin = to.started(1).importedFrom();
            assertEquals(new org.backprop.events.ImportOrigin(source.toString(), 2, sha), origin);
            assertTrue(to.stored(1).config().endsWith(",\"importedFrom\":{\"store\":\"" + source + "\",\"run\":2,\"sha256\":\"" + sha + "\"}}"),
                    to.stored(1).config());
        }
        assertEquals(0, other.run("verify").exitCode(), other.run("verify").out());
        // Exported again and imported into a third store, the run names its last hop.
        Path again = dir.resolve("again.jsonl");
        assertEquals(0, other.run("export", "1", "--format", "jsonl", "--out", again.toString()).exitCode());
        Files.createDirectories(dir.resolve("third"));
        Cli third = new Cli(dir.resolve("third"));
        assertEquals(0, third.run("import", again.toString()).exitCode());
        try (H2EventStore to = open(third.store()); H2EventStore mid = open(other.store())) {
            assertEquals(mid.storeId().toString(), to.started(1).importedFrom().store());
            assertEquals(1, to.started(1).importedFrom().run());
        }
        assertEquals(0, third.run("verify").exitCode());
    }

    @Test
    void aFileChangedAndRehashedIsRefusedBecauseItsValuesDoNotReExecute() throws IOException {
        Cli cli = new Cli(dir);
        Path file = dir.resolve("run1.jsonl");
        exportedSeedRun(cli, file);
        // The forger reads the events back, changes one activation of epoch 20 and writes every hash again.
        List<EventLines.Line> read = new ArrayList<>();
        try (var in = Files.newBufferedReader(file)) {
            EventLines.Reader reader = new EventLines.Reader(file, in);
            for (EventLines.Line l = reader.next(); l != null; l = reader.next()) {
                read.add(l);
            }
        }
        RunStarted started = (RunStarted) read.get(0).event();
        EventHashes hashes = new EventHashes();
        byte[] previous = hashes.start(started);
        EpochCodec codec = EpochCodec.of(started.config());
        Path forged = dir.resolve("forged.jsonl");
        try (var out = new java.io.PrintWriter(Files.newBufferedWriter(forged)); EventLines.Writer w = new EventLines.Writer(out)) {
            w.start(started, org.backprop.events.CanonicalConfig.json(started), previous, null);
            for (EventLines.Line l : read.subList(1, read.size())) {
                if (l.event() instanceof EpochRecorded e) {
                    double[] activations = e.activations();
                    if (e.epoch() == 20) {
                        activations[2] = 0.5;
                    }
                    EpochRecorded changed = new EpochRecorded(e.runId(), e.epoch(), e.before(), e.netInputs(), activations, e.deltas(),
                            e.weightGradients(), e.biasGradients(), e.loss());
                    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(codec.epochBytes());
                    codec.write(changed, bytes);
                    byte[] hash = new byte[EventHashes.LENGTH];
                    hashes.epoch(previous, 0, e.epoch(), bytes.array(), 0, codec.epochBytes(), hash, 0);
                    w.epoch(changed, hash);
                    previous = hash;
                } else {
                    byte[] hash = hashes.end(previous, l.event());
                    w.end(l.event(), hash);
                }
            }
        }
        Path target = dir.resolve("target");
        Files.createDirectories(target);
        Cli.Result r = new Cli(target).run("import", forged.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("backprop: " + forged + " line 22: epoch 20: a_o1 is 0.5 in the file but re-executes to 0.60"), r.err());
        assertTrue(r.err().strip().endsWith("so the file's values are not what training computes (they were changed and the hashes"
                + " recomputed); nothing was imported"), r.err());
        assertFalse(Files.exists(target.resolve("store.mv.db")), "the file is refused before any store is made");
    }

    @Test
    void badInputGetsOneLineAndExitCodeTwo() throws IOException {
        Cli cli = new Cli(dir);
        Path good = dir.resolve("good.jsonl");
        List<String> lines = exportedSeedRun(cli, good);
        Path file = dir.resolve("bad.jsonl");
        String name = file.toString();
        String fix = ": give a file written by 'backprop export RUN --format jsonl'";

        Files.writeString(file, "");
        assertOneLineBadInput(cli.run("import", name), name + " is empty" + fix);
        Files.writeString(file, "this is not json\n");
        assertTrue(cli.run("import", name).err().startsWith("backprop: " + name + " line 1 is not valid JSON (column "));
        Files.writeString(file, lines.get(0) + "\n" + lines.get(1).substring(0, 200) + "\n");
        assertTrue(cli.run("import", name).err().startsWith("backprop: " + name + " line 2 is not valid JSON"));
        Files.writeString(file, "{\"a\": 1}\n");
        assertOneLineBadInput(cli.run("import", name), name + " line 1 has no \"event\" field" + fix);
        Files.write(file, List.of(lines.get(1), lines.get(0)));
        assertOneLineBadInput(cli.run("import", name), name + " line 1 is a EpochRecorded event, but a run's export starts with its RunStarted event" + fix);
        Files.write(file, List.of(lines.get(0), lines.get(1).replace("\"loss\":", "\"loss\":\"much\",\"was\":")));
        assertOneLineBadInput(cli.run("import", name), name + " line 2 has a \"loss\" that is not a number: \"much\"" + fix);
        Files.write(file, List.of(lines.get(0), lines.get(1).replaceFirst("\"biases\":\\[\\]", "\"biases\":[1.0]")));
        assertOneLineBadInput(cli.run("import", name), name + " line 2 has 1 values in \"biases\", but the run's network needs 0" + fix);
        Files.write(file, List.of(lines.get(0), lines.get(0)));
        assertOneLineBadInput(cli.run("import", name), name + " line 2 starts a second run: a file holds one run" + fix);
        Files.write(file, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}', '\n'});
        assertOneLineBadInput(cli.run("import", name), name + " is not UTF-8 text" + fix);
        assertOneLineBadInput(cli.run("import", dir.resolve("missing.jsonl").toString()), "the file " + dir.resolve("missing.jsonl")
                + " does not exist" + fix);

        assertOneLineBadInput(cli.run("replay", "1", "--epoch", "250"), "run 1 has no epoch 250 (its epochs are 0 to 39)");
        assertOneLineBadInput(cli.run("replay", "1", "--from", "30", "--to", "10"), "--from 30 is after --to 10: give the lower epoch first");
        assertOneLineBadInput(cli.run("replay", "1", "--epoch", "3", "--to", "10"), "give --epoch N for one epoch or --from A --to B for a range, not both");
        assertOneLineBadInput(cli.run("replay", "1", "--step", "--format", "csv"), "--step shows epochs as tables: leave out --format csv");
        assertOneLineBadInput(cli.run("state", "1", "--epoch", "41"), "run 1 has no epoch 41 (its epochs are 0 to 39)");
        for (String[] args : List.of(
                new String[] {"replay", "7"},
                new String[] {"replay", "nosuchrun"},
                new String[] {"state", "1"},
                new String[] {"state", "1", "--epoch", "3", "--final"},
                new String[] {"verify", "9"},
                new String[] {"export", "1"},
                new String[] {"export", "1", "--format", "xml"},
                new String[] {"export", "1", "--format", "csv", "--out", dir.resolve("no/such/folder/x.csv").toString()},
                new String[] {"export", "1", "--format", "csv", "--out", dir.toString()},
                new String[] {"import"})) {
            Cli.Result r = cli.run(args);
            String what = String.join(" ", args) + " -> " + r.err();
            assertEquals(2, r.exitCode(), what);
            assertEquals(1, r.err().lines().count(), what);
            assertTrue(r.err().startsWith("backprop: "), what);
        }
        assertTrue(cli.run("replay", "7").err().contains("there is no run '7'"));
        assertEquals(List.of("run_id,name,layers,learning_rate,epochs,epochs_recorded,status,final_error,best_error,best_epoch,parent_run_id,fork_epoch,sweep_id,created_at,reason"),
                cli.run("runs", "--format", "csv").lines().subList(0, 1));
        assertEquals(2, cli.run("runs", "--format", "csv").lines().size(), "nothing was imported");
        assertTrue(new String(Files.readAllBytes(good), StandardCharsets.UTF_8).endsWith("}\n"));
    }

    @Test
    void everyNewCommandHasHelpWithExamples() {
        Cli cli = new Cli(dir);
        for (String command : List.of("replay", "state", "verify", "export", "import")) {
            Cli.Result r = cli.run(command, "--help");
            assertEquals(0, r.exitCode(), command);
            assertTrue(r.out().contains("Examples:"), command);
        }
    }
}
