package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.ImportOrigin;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.replay.ChainCheck;
import org.backprop.replay.Reexecution;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import picocli.CommandLine.Command;

import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop import}: appends a run exported as JSON Lines to this store as a new run, after checking its hashes. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Appends a run written by 'backprop export RUN --format jsonl' to the store as a new run (with a new id).",
            "The file's hash chain is checked first: a file changed after export is refused and nothing is written.",
            "The run keeps its configuration, start and end times and every value bit for bit; its parent run and sweep",
            "are not carried over (they are runs of the other store). 'backprop verify' accepts the imported run."},
        footer = {"", "Examples:",
            "  backprop export 1 --format jsonl --out run1.jsonl",
            "  backprop import run1.jsonl --db other-store",
            "  backprop verify --db other-store"})
final class ImportCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.jsonl", description = "A run exported with --format jsonl.")
    Path file;

    /** What the file held, checked before the store is touched; set by {@link #prepare()}. */
    private Checked checked;

    @Override
    public StoreAccess prepare() {
        // The whole file is checked before the store is touched; the import checks it again as it writes, in one transaction.
        checked = read(null);
        PrintableText.checkPrintable("the run name in " + file, checked.started().config().name());
        return StoreAccess.CREATE;
    }

    @Override
    public int call(EventStore runStore) {
        RunStarted[] imported = new RunStarted[1];
        ImportOrigin origin = new ImportOrigin(checked.store(), checked.started().runId(), checked.sha256());
        read(events -> imported[0] = runStore.importRun(events.started(), events, origin));
        RunStarted original = checked.started();
        RunStarted run = imported[0];
        spec.commandLine().getOut().printf("imported %s as run %d '%s': %d epochs, %s (it was run %d %s%s)%n", file,
                run.runId(), PrintableText.escaped(run.config().name()), checked.epochs(), checked.status(), original.runId(),
                checked.store() == null ? "where it was exported" : "of store " + checked.store(),
                original.lineage() != null || original.sweepId() != null ? "; its parent run and sweep there are not carried over" : "");
        return 0;
    }

    /** What the file held: its run, epochs and end, the store it was exported from (if it says) and its SHA-256. */
    private record Checked(RunStarted started, int epochs, String status, String store, String sha256) {
    }

    /** Reads the file once through {@code sink} (or just checks it when there is none) and says what it held. */
    private Checked read(java.util.function.Consumer<Events> sink) {
        MessageDigest sha = sha256();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new DigestInputStream(Files.newInputStream(file), sha),
                StandardCharsets.UTF_8.newDecoder()))) {
            Events events = new Events(new EventLines.Reader(file, in), sha);
            if (sink != null) {
                sink.accept(events);
            }
            while (events.hasNext()) {
                events.next();
            }
            return new Checked(events.started(), events.chain.epochs(), events.status, events.reader.store(), events.digest);
        } catch (NoSuchFileException e) {
            throw new BadInputException("the file " + file + " does not exist" + EventLines.FIX, e);
        } catch (IOException e) {
            throw new BadInputException(file + " cannot be read (" + e.getMessage() + ")" + EventLines.FIX, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The events after the start, each checked against the hash chain before it is handed on. */
    private final class Events implements Iterator<RunEvent> {
        private final EventLines.Reader reader;
        private final RunStarted started;
        private final ChainCheck chain;
        private final Reexecution reexecution;
        private final EpochCodec codec;
        private final ByteBuffer epochBytes;
        private final MessageDigest sha;
        private EventLines.Line pending;
        private String status = "not ended (it was running or interrupted when exported)";
        private String digest;

        Events(EventLines.Reader reader, MessageDigest sha) {
            this.reader = reader;
            this.sha = sha;
            EventLines.Line first = reader.next();
            if (first == null) {
                throw new BadInputException(file + " is empty" + EventLines.FIX);
            }
            this.started = (RunStarted) first.event();
            this.chain = new ChainCheck(started);
            this.reexecution = new Reexecution(started.config(), "in the file");
            this.codec = EpochCodec.of(started.config());
            this.epochBytes = ByteBuffer.allocate(codec.epochBytes()).order(ByteOrder.LITTLE_ENDIAN);
            check(first, chain.start(first.hash()));
        }

        RunStarted started() {
            return started;
        }

        private void check(EventLines.Line line, String problem) {
            if (problem != null) {
                throw new BadInputException(file + " line " + line.number() + ": " + problem + ", so the file is not what its run"
                        + " recorded (it was changed after export, or exported from a damaged store); nothing was imported");
            }
        }

        /** A value that does not re-execute: the file was changed and its hashes made again to match. */
        private void reexecuted(EventLines.Line line, String problem) {
            if (problem != null) {
                throw new BadInputException(file + " line " + line.number() + ": " + problem + ", so the file's values are not what"
                        + " training computes (they were changed and the hashes recomputed); nothing was imported");
            }
        }

        @Override
        public boolean hasNext() {
            if (pending == null) {
                pending = reader.next();
                if (pending == null && digest == null) {
                    digest = HexFormat.of().formatHex(sha.digest());
                    // Read twice (checked, then imported): a file changed in between is refused inside the import's transaction.
                    if (checked != null && !digest.equals(checked.sha256())) {
                        throw new BadInputException(file + " changed while it was imported; nothing was imported: import it again");
                    }
                }
            }
            return pending != null;
        }

        @Override
        public RunEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            EventLines.Line line = pending;
            pending = null;
            switch (line.event()) {
                case EpochRecorded e -> {
                    check(line, chain.epoch(e, line.hash()));
                    epochBytes.clear();
                    codec.write(e, epochBytes);
                    // A run recorded from a spreadsheet holds the sheet's values: its chain is checked, its values are not re-executed.
                    if (!started.recordedFromSheet()) {
                        reexecuted(line, reexecution.epoch(e.epoch(), epochBytes, 0));
                    }
                }
                case RunCompleted done -> {
                    check(line, chain.end(done, line.hash()));
                    if (!started.recordedFromSheet()) {
                        reexecuted(line, reexecution.finalParameters(done.finalParameters()));
                    }
                    status = "completed";
                }
                case RunFailed failed -> {
                    check(line, chain.end(failed, line.hash()));
                    if (!started.recordedFromSheet()) {
                        reexecuted(line, reexecution.failure(failed.epoch()));
                    }
                    status = "failed at epoch " + failed.epoch();
                }
                case RunStarted s -> throw new IllegalStateException("the reader refuses a second start event");
            }
            return line.event();
        }
    }
}
