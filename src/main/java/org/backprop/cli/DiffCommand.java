package org.backprop.cli;

import org.backprop.table.PrintableText;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.backprop.diff.ConfigDifference;
import org.backprop.diff.EpochDiff;
import org.backprop.diff.RunDiff;
import org.backprop.diff.WeightDifference;
import org.backprop.events.RunStarted;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import picocli.CommandLine.Command;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop diff}: compares two recorded runs epoch by epoch. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compares two runs: how their configurations differ, whether they started from the same weights, the first",
            "epoch whose weights differ, the loss of both per epoch and its difference (B - A), the largest weight difference",
            "per epoch, and the final weights side by side. When one run is a fork of the other (or both of a common",
            "ancestor), they are lined up along their shared history: a fork's epoch j is history epoch k + j, the shared",
            "epochs are said, and whether they started alike is judged by the weights where their histories part.",
            "In SQL: SELECT * FROM run_diff(A, B)."},
        footer = {"", "Examples:",
            "  backprop diff 1 2",
            "  backprop diff 11 12 --from 495 --to 510   around a fork at epoch 500",
            "  backprop diff 11 12 --no-align            each run's own epochs from 0",
            "  backprop diff seed-lr0.1 seed-lr0.2 --format json",
            "  backprop sql \"SELECT * FROM run_diff(1, 2) WHERE NOT weights_equal\""})
final class DiffCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "The first run, by id or name.")
    String runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The second run, by id or name.")
    String runB;

    @Option(names = "--format", paramLabel = "table|json", description = "Output format: table or json. Default: table.")
    Format format = Format.table;

    @Option(names = "--no-align", description = "Compare epoch by epoch from each run's own epoch 0, even when one is a fork of the other"
            + " (by default such runs are lined up along their shared history).")
    boolean noAlign;

    @Option(names = "--from", paramLabel = "EPOCH", description = "First epoch row to show (default 0).")
    Integer from;

    @Option(names = "--to", paramLabel = "EPOCH", description = "Last epoch row to show (default: the last).")
    Integer to;

    @Override
    public StoreAccess prepare() {
        if (format != Format.table && format != Format.json) {
            throw new BadInputException("diff prints --format table or json, not " + format);
        }
        if (from != null && from < 0 || to != null && to < 0) {
            throw new BadInputException("--from and --to are epochs, 0 or more, not " + (from != null && from < 0 ? from : to));
        }
        if (from != null && to != null && from > to) {
            throw new BadInputException("--from " + from + " is after --to " + to + ": give the lower epoch first");
        }
        return StoreAccess.READ;
    }

    /** The rows to show: {@code --from..--to} within the diff's rows. */
    private int[] rows(RunDiff diff) {
        int last = diff.rowCount() - 1;
        if (from != null && from > last) {
            throw new BadInputException("the diff has epoch rows 0 to " + last + ", so --from " + from + " shows nothing: give a smaller --from");
        }
        return new int[] {from == null ? 0 : from, to == null ? last : Math.min(to, last)};
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        RunDiff diff = RunDiff.of(runStore, runStore.resolve(runA), runStore.resolve(runB), !noAlign);
        if (format == Format.json) {
            out.println(json(diff));
        } else {
            print(out, diff);
        }
        return 0;
    }

    static String describe(RunStarted run, int recorded) {
        String lineage = run.lineage() == null ? ""
                : ", forked from run " + run.lineage().parentRunId() + " at epoch " + run.lineage().forkEpoch();
        return "run " + run.runId() + " '" + PrintableText.escaped(run.config().name()) + "' (lr " + run.config().learningRate() + ", " + recorded
                + " epochs recorded" + lineage + ")";
    }

    private void print(PrintWriter out, RunDiff diff) {
        out.println("A = " + describe(diff.a(), diff.epochsA()));
        out.println("B = " + describe(diff.b(), diff.epochsB()));
        if (diff.shared().statement() != null) {
            out.println(diff.shared().statement() + " (epochs are history epochs below; --no-align compares each run's own epochs from 0)");
        }
        if (diff.identical()) {
            out.println("no difference: same configuration, same initial weights, and every recorded weight and loss is"
                    + " bit-identical (" + diff.epochsA() + " epochs compared)");
        }
        if (diff.configurationDifferences().isEmpty()) {
            out.println("configuration: the same");
        } else {
            out.println("configuration differences:");
            for (ConfigDifference d : diff.configurationDifferences()) {
                out.println("  " + d.field() + (d.note() == null ? "" : " (" + d.note() + ")") + ":");
                out.println("    A: " + PrintableText.escaped(d.a()));
                out.println("    B: " + PrintableText.escaped(d.b()));
            }
        }
        out.println(diff.startStatement());
        out.println("first epoch whose weights differ: " + (diff.firstDivergentEpoch() == null ? "none" : diff.firstDivergentEpoch()));
        out.println("final loss: A " + text(diff.finalLossA()) + ", B " + text(diff.finalLossB())
                + (diff.finalLossA() != null && diff.finalLossB() != null ? ", B − A " + (diff.finalLossB() - diff.finalLossA()) : ""));
        out.println();
        out.println("per epoch (weights in force at the start of the epoch; the last row is the weights after the final update):");
        List<List<Object>> rows = new ArrayList<>();
        int[] shown = rows(diff);
        for (int e = shown[0]; e <= shown[1]; e++) {
            EpochDiff d = diff.row(e);
            rows.add(Arrays.asList(d.epoch(), d.lossA(), d.lossB(), d.lossDifference(), d.maxWeightDifference(), d.weightsEqual()));
        }
        Tables.print(out, Format.table, EPOCH_COLUMNS, rows);
        out.println();
        out.println("final weights (after the last update):");
        Tables.print(out, Format.table, List.of("weight", "A", "B", "B − A"), finalRows(diff));
    }

    static final List<String> EPOCH_COLUMNS = List.of("epoch", "loss_a", "loss_b", "loss_difference", "max_weight_difference", "weights_equal");

    private static List<List<Object>> finalRows(RunDiff diff) {
        List<List<Object>> rows = new ArrayList<>();
        for (WeightDifference w : WeightDifference.between(diff.finalA(), diff.finalB())) {
            rows.add(Arrays.asList(w.name(), w.a(), w.b(), w.difference()));
        }
        return rows;
    }

    private static String text(Double d) {
        return d == null ? "none (no epochs)" : d.toString();
    }

    String json(RunDiff diff) {
        int[] shown = rows(diff);
        return Tables.prettyJson(g -> {
            g.writeStartObject();
            run(g, "runA", diff.a(), diff.epochsA());
            run(g, "runB", diff.b(), diff.epochsB());
            g.writeObjectFieldStart("alignment");
            g.writeBooleanField("aligned", diff.shared().epochs() > 0);
            g.writeNumberField("sharedEpochs", diff.shared().epochs());
            g.writeNumberField("startA", diff.startA());
            g.writeNumberField("startB", diff.startB());
            g.writeStringField("statement", diff.shared().statement());
            g.writeEndObject();
            g.writeBooleanField("identical", diff.identical());
            g.writeArrayFieldStart("configurationDifferences");
            for (ConfigDifference d : diff.configurationDifferences()) {
                g.writeStartObject();
                g.writeStringField("field", d.field());
                g.writeStringField("a", d.a());
                g.writeStringField("b", d.b());
                g.writeStringField("note", d.note());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("initialWeightsEqual", diff.initialWeightsEqual());
            g.writeStringField("initialWeights", diff.startStatement());
            g.writeFieldName("firstDivergentEpoch");
            Tables.writeValue(g, diff.firstDivergentEpoch());
            g.writeFieldName("finalLossA");
            Tables.writeValue(g, diff.finalLossA());
            g.writeFieldName("finalLossB");
            Tables.writeValue(g, diff.finalLossB());
            g.writeArrayFieldStart("epochs");
            for (int e = shown[0]; e <= shown[1]; e++) {
                EpochDiff d = diff.row(e);
                g.writeStartObject();
                g.writeNumberField("epoch", d.epoch());
                field(g, "lossA", d.lossA());
                field(g, "lossB", d.lossB());
                field(g, "lossDifference", d.lossDifference());
                field(g, "maxWeightDifference", d.maxWeightDifference());
                field(g, "weightsEqual", d.weightsEqual());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("finalWeights");
            for (List<Object> row : finalRows(diff)) {
                g.writeStartObject();
                g.writeStringField("weight", (String) row.get(0));
                field(g, "a", row.get(1));
                field(g, "b", row.get(2));
                field(g, "difference", row.get(3));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void run(JsonGenerator g, String field, RunStarted run, int recorded) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeNumberField("runId", run.runId());
        g.writeStringField("name", run.config().name());
        g.writeNumberField("learningRate", run.config().learningRate());
        g.writeNumberField("epochs", run.config().epochs());
        g.writeNumberField("epochsRecorded", recorded);
        field(g, "parentRunId", run.lineage() == null ? null : run.lineage().parentRunId());
        field(g, "forkEpoch", run.lineage() == null ? null : run.lineage().forkEpoch());
        g.writeEndObject();
    }

    private static void field(JsonGenerator g, String name, Object value) throws IOException {
        g.writeFieldName(name);
        Tables.writeValue(g, value);
    }
}
