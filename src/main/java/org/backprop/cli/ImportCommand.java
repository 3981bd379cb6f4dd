package org.backprop.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.replay.ChainCheck;
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
        read(events -> imported[0] = runStore.importRun(events.started(), events));
        RunStarted original = checked.started();
        RunStarted run = imported[0];
        spec.commandLine().getOut().printf("imported %s as run %d '%s': %d epochs, %s (it was run %d where it was exported%s)%n", file,
                run.runId(), PrintableText.escaped(run.config().name()), checked.epochs(), checked.status(), original.runId(),
                original.lineage() != null || original.sweepId() != null ? "; its parent run and sweep there are not carried over" : "");
        return 0;
    }

    private record Checked(RunStarted started, int epochs, String status) {
    }

    /** Reads the file once through {@code sink} (or just checks it when there is none) and says what it held. */
    private Checked read(java.util.function.Consumer<Events> sink) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Events events = new Events(new EventLines.Reader(file, in));
            if (sink != null) {
                sink.accept(events);
            }
            while (events.hasNext()) {
                events.next();
            }
            return new Checked(events.started(), events.chain.epochs(), events.status);
        } catch (NoSuchFileException e) {
            throw new BadInputException("the file " + file + " does not exist" + EventLines.FIX, e);
        } catch (IOException e) {
            throw new BadInputException(file + " cannot be read (" + e.getMessage() + ")" + EventLines.FIX, e);
        }
    }

    /** The events after the start, each checked against the hash chain before it is handed on. */
    private final class Events implements Iterator<RunEvent> {
        private final EventLines.Reader reader;
        private final RunStarted started;
        private final ChainCheck chain;
        private EventLines.Line pending;
        private String status = "not ended (it was running or interrupted when exported)";

        Events(EventLines.Reader reader) {
            this.reader = reader;
            EventLines.Line first = reader.next();
            if (first == null) {
                throw new BadInputException(file + " is empty" + EventLines.FIX);
            }
            this.started = (RunStarted) first.event();
            this.chain = new ChainCheck(started);
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

        @Override
        public boolean hasNext() {
            if (pending == null) {
                pending = reader.next();
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
                case EpochRecorded e -> check(line, chain.epoch(e, line.hash()));
                case RunCompleted done -> {
                    check(line, chain.end(done, line.hash()));
                    status = "completed";
                }
                case RunFailed failed -> {
                    check(line, chain.end(failed, line.hash()));
                    status = "failed at epoch " + failed.epoch();
                }
                case RunStarted s -> throw new IllegalStateException("the reader refuses a second start event");
            }
            return line.event();
        }
    }
}
