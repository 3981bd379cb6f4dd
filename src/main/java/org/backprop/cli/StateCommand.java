package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.backprop.model.Parameters;
import org.backprop.replay.Replay;
import org.backprop.replay.ValueNames;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop state}: the weights and biases in force at one epoch of a run, read from a single stored row. */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Prints the weights (and biases) in force at the start of an epoch, or after the run's last epoch with --final.",
            "It reads the one stored row that holds that epoch, however long the run."},
        footer = {"", "Examples:",
            "  backprop state 1 --epoch 50",
            "  backprop state 1 --final",
            "  backprop state seed --epoch 0 --format json"})
final class StateCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Parameters(paramLabel = "RUN", description = "The run's id, or its name when that is unique.")
    String run;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** Exactly one of the two: an epoch, or after the last one. */
    static final class Which {
        @Option(names = "--epoch", paramLabel = "N", required = true, description = "The weights in force at the start of epoch N (its forward pass used them).")
        Integer epoch;

        @Option(names = "--final", required = true, description = "The weights after the run's last recorded epoch.")
        boolean last;
    }

    @Mixin
    TableFormatOption output;

    @Override
    public StoreAccess prepare() {
        return StoreAccess.READ;
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        Replay replay = new Replay(runStore, runStore.resolve(run));
        int at = which.last ? replay.epochCount() : which.epoch;
        Parameters p = replay.stateAt(at);
        ValueNames names = new ValueNames(replay.started().config());
        List<List<Object>> rows = new ArrayList<>();
        for (int k = 0; k < p.weightCount() + p.biasCount(); k++) {
            rows.add(List.of(names.parameter(k), k < p.weightCount() ? p.weight(k) : p.bias(k - p.weightCount())));
        }
        switch (output.format) {
            case json -> out.println(json(replay, at, p));
            case table -> {
                out.printf("run %d '%s': %s%n", replay.runId(), PrintableText.escaped(replay.started().config().name()), caption(at, replay.epochCount()));
                Tables.print(out, output.format, List.of("parameter", "value"), rows);
            }
            default -> Tables.print(out, output.format, List.of("parameter", "value"), rows);
        }
        return 0;
    }

    private static String caption(int at, int epochCount) {
        if (at < epochCount) {
            return "weights in force at the start of epoch " + at;
        }
        return epochCount == 0 ? "the weights it starts with (no epochs are recorded yet)"
                : "weights after its last recorded epoch (" + (epochCount - 1) + ")";
    }

    private static String json(Replay replay, int at, Parameters p) {
        return Tables.prettyJson(g -> {
            g.writeStartObject();
            g.writeNumberField("runId", replay.runId());
            g.writeStringField("name", replay.started().config().name());
            g.writeNumberField("epoch", at);
            g.writeBooleanField("final", at == replay.epochCount());
            g.writeFieldName("weights");
            Tables.writeValue(g, p.weights());
            g.writeFieldName("biases");
            Tables.writeValue(g, p.biases());
            g.writeEndObject();
        });
    }
}
