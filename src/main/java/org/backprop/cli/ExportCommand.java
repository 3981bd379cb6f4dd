package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import org.backprop.events.EpochCodec;
import org.backprop.events.EventHashes;
import org.backprop.events.StoredRun;
import org.backprop.replay.EpochSheet;
import org.backprop.replay.Replay;
import org.backprop.sheets.write.ExactSheetWriter;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.table.RowStream;
import picocli.CommandLine.Command;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop export}: writes a run as a spreadsheet (CSV) or as its raw events with their hashes (JSON Lines). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes a run to standard output or to --out FILE.",
            "csv: one row per epoch; for 2-2-2 runs the seed spreadsheet's layout (the epoch_sheet columns), otherwise a column for",
            "every weight, bias, net input, activation, delta, output error and gradient, named after the views.",
            "jsonl: the raw events, one JSON object per line in order, each with its hash; 'backprop import' reads it back.",
            "xlsx (2-2-2 runs with one sample, --out required): the tutorial's sheet, every computed cell a live formula whose",
            "stored value is the run's exact double, the rate in a labelled cell; 'backprop audit' says it is exact."},
        footer = {"", "Examples:",
            "  backprop export 1 --format csv --out seed.csv",
            "  backprop export 1 --format jsonl --out run1.jsonl",
            "  backprop export 1 --format xlsx --out seed-exact.xlsx    a reference sheet to hand out",
            "  backprop import run1.jsonl --db other-store      the same run in another store"})
final class ExportCommand implements StoreCommand {
    /** What an export writes. */
    enum Kind {
        csv, jsonl, xlsx
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "The run's id, or its name when that is unique.")
    String run;

    @Option(names = "--format", required = true, paramLabel = "csv|jsonl|xlsx", description = "csv (a spreadsheet), jsonl (raw events with hashes) or xlsx (the exact sheet with live formulas).")
    Kind format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here (replaced whole, never half-written) instead of to standard output.")
    Path outFile;

    @Override
    public StoreAccess prepare() {
        if (format == Kind.xlsx && outFile == null) {
            throw new BadInputException("export --format xlsx writes a binary workbook: give --out FILE.xlsx");
        }
        return StoreAccess.READ;
    }

    @Override
    public int call(EventStore runStore) {
        Replay replay = new Replay(runStore, runStore.resolve(run));
        if (format == Kind.xlsx && !ExactSheetWriter.fits(replay.started().config())) {
            throw new BadInputException("run " + replay.runId() + " is " + replay.started().config().network().shape() + " with "
                    + replay.started().config().data().sampleCount() + " sample(s): the xlsx sheet is the tutorial's 2-2-2 table with one"
                    + " sample and no biases; use --format csv for this run");
        }
        if (format == Kind.xlsx && replay.epochCount() > ExactSheetWriter.MAX_EPOCHS) {
            throw new BadInputException("run " + replay.runId() + " has " + replay.epochCount() + " epochs, more than an .xlsx sheet's "
                    + ExactSheetWriter.MAX_EPOCHS + " rows: use --format csv, or export a run of at most that many epochs");
        }
        if (outFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            write(runStore, replay, out);
            out.flush();
            return 0;
        }
        Path target = outFile.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new BadInputException("--out " + outFile + " is a folder: give a file name");
        }
        Path part = null;
        try {
            // Written beside the target, then moved over it: a failure leaves any old file as it was. Not a
            // createTempFile, whose owner-only permissions the export would keep.
            part = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".part");
            if (format == Kind.xlsx) {
                try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                    ExactSheetWriter.write(replay.started(), replay.epochCount(), each -> replay.forEach(0, replay.epochCount() - 1, each), out);
                }
            } else {
                try (PrintWriter out = new PrintWriter(new BufferedWriter(Files.newBufferedWriter(part, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)))) {
                    write(runStore, replay, out);
                    if (out.checkError()) {
                        throw new IOException("writing " + part + " failed");
                    }
                }
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            part = null;
        } catch (NoSuchFileException e) {
            throw new BadInputException("the folder of --out " + outFile + " does not exist: create it or give another path", e);
        } catch (IOException e) {
            throw new BadInputException("cannot write --out " + outFile + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(part);
        }
        spec.commandLine().getOut().printf("exported run %d '%s' (%d epochs) as %s to %s%n", replay.runId(),
                PrintableText.escaped(replay.started().config().name()), replay.epochCount(), format, outFile);
        return 0;
    }

    private void write(EventStore runStore, Replay replay, PrintWriter out) {
        switch (format) {
            case csv -> {
                EpochSheet sheet = new EpochSheet(replay.started(), false);
                try (RowStream rows = RowStream.csv(out, sheet.columns())) {
                    if (replay.epochCount() > 0) {
                        replay.forEach(0, replay.epochCount() - 1, e -> rows.row(sheet.row(e)));
                    }
                }
            }
            case xlsx -> throw new IllegalStateException("xlsx is written to a file");
            case jsonl -> {
                StoredRun stored = runStore.stored(replay.runId());
                try (EventLines.Writer lines = new EventLines.Writer(out)) {
                    lines.start(stored.started(), stored.config(), stored.startHash(), runStore.storeId().toString());
                    runStore.forEachBlock(replay.runId(), epochLines(stored, lines));
                    stored.end().ifPresent(end -> lines.end(end, stored.endHash()));
                }
            }
        }
    }

    /** Every stored epoch as it is, with the hash stored beside it. */
    private static Consumer<org.backprop.events.EpochBlock> epochLines(StoredRun stored, EventLines.Writer lines) {
        EpochCodec codec = EpochCodec.of(stored.started().config());
        return block -> {
            ByteBuffer payload = ByteBuffer.wrap(block.payload());
            byte[] hashes = block.hashes();
            for (int e = block.firstEpoch(); e <= block.lastEpoch(); e++) {
                int i = e - block.firstEpoch();
                payload.position(i * codec.epochBytes());
                lines.epoch(codec.read(block.runId(), e, payload),
                        Arrays.copyOfRange(hashes, i * EventHashes.LENGTH, (i + 1) * EventHashes.LENGTH));
            }
        };
    }

    private static void deleteQuietly(Path part) {
        if (part != null) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
