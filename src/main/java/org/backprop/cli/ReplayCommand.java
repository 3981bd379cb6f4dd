package org.backprop.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import org.backprop.events.RunHistory;
import org.backprop.events.UnknownRunException;
import org.backprop.replay.EpochSheet;
import org.backprop.replay.Replay;
import org.backprop.replay.Stepper;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.table.RowStream;
import picocli.CommandLine.Command;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop replay}: walks a recorded run epoch by epoch, from its events alone. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Walks a recorded run epoch by epoch from its events alone (nothing is recomputed): the weights in use,",
            "every neuron's net input and activation, each output's error and the total, every gradient, and each weight's",
            "before -> delta -> after. The seed's 2-2-2 network reads like its worked example (h1, a_h1, e_tot, de_dw1, ...)."},
        footer = {"", "Examples:",
            "  backprop replay 1                             every epoch of run 1",
            "  backprop replay 1 --epoch 0                   the seed's worked epoch",
            "  backprop replay 1 --from 10 --to 12 --format csv",
            "  backprop replay seed --step                   Enter: next, b: back, a number: jump, q: quit",
            "  backprop replay 7 --with-history              a fork's parent epochs up to the fork, then its own"})
final class ReplayCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "The run's id, or its name when that is unique.")
    String run;

    @Option(names = "--epoch", paramLabel = "N", description = "Only epoch N.")
    Integer epoch;

    @Option(names = "--from", paramLabel = "A", description = "First epoch to show (default 0).")
    Integer from;

    @Option(names = "--to", paramLabel = "B", description = "Last epoch to show (default the run's last).")
    Integer to;

    @Option(names = "--format", paramLabel = "table|csv|json",
            description = "table (default), or csv / json with one row per epoch (the epoch_sheet columns for 2-2-2 runs, plus delta_ and after_ of every weight).")
    Format format = Format.table;

    @Option(names = "--with-history",
            description = "For a fork: first the epochs of the runs it came from, up to where it was forked, then its own; --epoch, --from and --to then count along that history.")
    boolean withHistory;

    @Option(names = "--step", description = "On a terminal, one epoch at a time: Enter next, b previous, a number jumps, q quits. Elsewhere a plain replay.")
    boolean step;

    @Override
    public StoreAccess prepare() {
        if (format == Format.markdown) {
            throw new BadInputException("replay prints --format table, csv or json, not markdown");
        }
        if (epoch != null && (from != null || to != null)) {
            throw new BadInputException("give --epoch N for one epoch or --from A --to B for a range, not both");
        }
        if (step && format != Format.table) {
            throw new BadInputException("--step shows epochs as tables: leave out --format " + format);
        }
        if (withHistory && step) {
            throw new BadInputException("--step walks one run: leave out --with-history, or --step");
        }
        return StoreAccess.READ;
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        if (withHistory) {
            replayHistory(runStore, runStore.resolve(run), out);
            return 0;
        }
        Replay replay = new Replay(runStore, runStore.resolve(run));
        if (replay.epochCount() == 0) {
            throw new UnknownRunException("run " + replay.runId() + " has no epochs recorded yet: there is nothing to replay");
        }
        int first = epoch != null ? epoch : from != null ? from : 0;
        int last = epoch != null ? epoch : to != null ? to : replay.epochCount() - 1;
        replay.checkEpoch(first);
        replay.checkEpoch(last);
        if (first > last) {
            throw new BadInputException("--from " + first + " is after --to " + last + ": give the lower epoch first");
        }
        if (format != Format.table) {
            EpochSheet sheet = new EpochSheet(replay.started(), true);
            try (RowStream rows = Tables.stream(format, out, sheet.columns())) {
                replay.forEach(first, last, e -> rows.row(sheet.row(e)));
            }
            return 0;
        }
        ReplayTable table = new ReplayTable(out, replay.started());
        table.header(replay.epochCount(), first, last);
        if (step && System.console() != null) {
            BufferedReader keys = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
            step(replay, table, new Stepper(first, last), keys, out);
        } else {
            replay.forEach(first, last, table::print);
        }
        return 0;
    }

    /** The fork's history: each stretch of the runs it came from, then its own epochs, numbered along the history. */
    private void replayHistory(EventStore runStore, long runId, PrintWriter out) {
        List<RunHistory.Segment> segments = RunHistory.segments(runStore, runId);
        int total = segments.stream().mapToInt(RunHistory.Segment::length).sum();
        if (total == 0) {
            throw new UnknownRunException("run " + runId + " and the runs it came from have no epochs recorded: there is nothing to replay");
        }
        int first = epoch != null ? epoch : from != null ? from : 0;
        int last = epoch != null ? epoch : to != null ? to : total - 1;
        for (int e : new int[] {first, last}) {
            if (e < 0 || e >= total) {
                throw new UnknownRunException("the history of run " + runId + " has no epoch " + e + " (its epochs are 0 to " + (total - 1) + ")");
            }
        }
        if (first > last) {
            throw new BadInputException("--from " + first + " is after --to " + last + ": give the lower epoch first");
        }
        RowStream rows = null;
        try {
            for (RunHistory.Segment segment : segments) {
                int historyFirst = Math.max(first, segment.historyStart());
                int historyLast = Math.min(last, segment.historyStart() + segment.length() - 1);
                if (historyFirst > historyLast) {
                    continue;
                }
                int offset = segment.firstEpoch() - segment.historyStart();
                Replay replay = new Replay(runStore, segment.runId());
                if (format == Format.table) {
                    out.printf("%nhistory epochs %d to %d: run %d's epochs %d to %d%n", historyFirst, historyLast, segment.runId(),
                            historyFirst + offset, historyLast + offset);
                    ReplayTable table = new ReplayTable(out, replay.started());
                    table.header(replay.epochCount(), historyFirst + offset, historyLast + offset);
                    replay.forEach(historyFirst + offset, historyLast + offset, table::print);
                } else {
                    EpochSheet sheet = new EpochSheet(replay.started(), true);
                    if (rows == null) {
                        List<String> columns = new ArrayList<>(List.of("history_epoch"));
                        columns.addAll(sheet.columns());
                        rows = Tables.stream(format, out, columns);
                    }
                    RowStream sink = rows;
                    replay.forEach(historyFirst + offset, historyLast + offset, e -> {
                        List<Object> row = new ArrayList<>(List.of((Object) (e.epoch() - offset)));
                        row.addAll(sheet.row(e));
                        sink.row(row);
                    });
                }
            }
        } finally {
            if (rows != null) {
                rows.close();
            }
        }
    }

    /** The interactive loop: shows the first epoch, then one move per line read until q or the end of input. */
    static void step(Replay replay, ReplayTable table, Stepper stepper, BufferedReader keys, PrintWriter out) {
        table.print(replay.epoch(stepper.current()));
        while (true) {
            out.print(stepper.prompt());
            out.flush();
            String line;
            try {
                line = keys.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            switch (stepper.apply(line)) {
                case Stepper.Show show -> table.print(replay.epoch(show.epoch()));
                case Stepper.Say say -> out.println(say.message());
                case Stepper.Quit quit -> {
                    out.println();
                    return;
                }
            }
        }
    }
}
