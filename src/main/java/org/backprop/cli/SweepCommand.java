package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.backprop.model.Network;
import org.backprop.model.RunConfig;
import org.backprop.plot.RunCharts;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.sweep.SweepResult;
import org.backprop.sweep.SweepRun;
import org.backprop.sweep.SweepTable;
import org.backprop.sweep.Sweeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop sweep}: one run per learning rate, and the seed tutorial's table of what they ended with. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Records one run per learning rate and prints a table of their final weights,",
            "final error and final outputs, one column per rate. By default every rate",
            "starts from the same initial weights, and the runs train in parallel.",
            "--chained makes each rate continue from the previous run's final weights (a",
            "chain of forks), as the seed tutorial's notebook did: its table was made so,",
            "and its columns are not a like-for-like comparison of the rates."},
        footer = {"", "Examples:",
            "  every rate from the seed's weights (the honest comparison):",
            "    backprop sweep --lr 0.1,0.2,0.5,0.8,1.0,2.0",
            "  the seed tutorial's table, exactly:",
            "    backprop sweep --lr 0.1,0.2,0.5,0.8,1.0,2.0 --chained",
            "  planned in a team store, for 'backprop worker' on any number of machines:",
            "    backprop sweep --lr 0.1,0.5,1.0 --queue --db jdbc:postgresql://HOST/DB",
            "    backprop sweep --lr 0.1,0.5,2.0 --epochs 1000 --plot sweep.png",
            "    backprop sweep --lr 0.3,0.5 --config scripts/examples/xor.json --format json"})
final class SweepCommand implements StoreCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--lr", split = ",", required = true, paramLabel = "RATE",
            description = "The learning rates, comma-separated; FROM:TO:N is N rates evenly spaced from FROM to TO, FROM:TO:N:log"
                    + " N rates spaced evenly on a log scale.")
    List<String> rateText;

    @Option(names = "--until-loss", paramLabel = "LOSS", description = "Stop each run, completed, after the first epoch whose loss is below LOSS.")
    Double untilLoss;

    /** The rates, ranges spelled out; set by {@link #prepare()}. */
    private List<Double> rates;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per run (overrides the file; default 100 for the seed run).")
    Integer epochs;

    @Option(names = "--config", paramLabel = "FILE.json", description = "Run configuration file (format in the README); its learningRate is not used.")
    Path config;

    @Option(names = "--name", description = "Base name of the runs, which are named NAME-lrRATE (default 'seed' or the file's name).")
    String name;

    @Option(names = "--chained", description = "Each rate continues from the previous run's final weights, as the seed tutorial did.")
    boolean chained;

    @Option(names = "--threads", paramLabel = "N", description = "Train at most N runs at once (default: the available cores).")
    Integer threads;

    @Option(names = "--format", paramLabel = "table|csv|json|markdown", description = "Output format: ${COMPLETION-CANDIDATES}. Default: table.")
    Format format = Format.table;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the runs' error per epoch into this PNG.")
    Path plot;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    boolean quiet;

    @Option(names = "--queue", description = "Record the sweep and its planned runs without training them: any number of 'backprop worker'"
            + " processes train them, on this machine or any that reaches the store (a team store: --db jdbc:postgresql://...).")
    boolean queue;

    @Mixin
    ChartOptions chart;

    /** The network, data and initial weights every run of the sweep shares; set by {@link #prepare()}. */
    private RunConfig base;

    @Override
    public StoreAccess prepare() {
        rates = LearningRates.parse(rateText);
        for (double rate : rates) {
            RunConfig.checkLearningRate(rate);
        }
        if (untilLoss != null) {
            RunConfig.checkUntilLoss(untilLoss);
        }
        if (epochs != null) {
            RunConfig.checkEpochs(epochs);
        }
        if (threads != null && threads < 1) {
            throw new BadInputException("--threads is " + threads + ": give 1 or more");
        }
        if (plot != null) {
            chart.check(plot, "--plot");
        }
        if (queue && (chained || plot != null || threads != null)) {
            throw new BadInputException(chained ? "a chained sweep cannot be queued: each rate starts from the previous run's final weights, so its"
                    + " runs train one after another; drop --chained or --queue"
                    : "--queue plans the runs for workers, so nothing is trained here to " + (plot != null ? "plot: draw it once they are done,"
                    + " with 'backprop plot --sweep ID'" : "spread over --threads: start more workers instead"));
        }
        base = config != null ? RunConfigFile.read(config, name, rates.get(0), epochs)
                : RunConfig.seed().withName(name != null ? name : "seed").withEpochs(epochs != null ? epochs : RunConfig.seed().epochs());
        PrintableText.checkPrintable("the run name", base.name());
        if (untilLoss != null) {
            base = base.withUntilLoss(untilLoss);
        }
        return StoreAccess.CREATE;
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        if (queue) {
            SweepResult queued = new Sweeper(runStore, 1).queue(base, rates);
            print(out, queued, base);
            if (format == Format.table) {
                out.println("workers train it:  backprop worker --db " + PrintableText.escaped(runStore.describe()) + "   (start as many as you like;"
                        + " 'backprop sweeps " + queued.sweepId() + "' shows its progress)");
            }
            return 0;
        }
        int parallel = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        TerminalSweepProgress progress = TerminalSweepProgress.forTerminal(quiet || format == Format.json, spec.commandLine().getErr(),
                Collections.nCopies(rates.size(), base.epochs()), format == Format.table ? out : null);
        SweepResult result = new Sweeper(runStore, parallel).run(base, rates, chained, progress);
        progress.finish();
        print(out, result, base);
        if (plot != null) {
            List<Long> ids = result.runs().stream().map(SweepRun::runId).toList();
            ChartOptions.write(RunCharts.error(runStore, ids, PlotCommand.sweepTitle(result.sweepId(), chained), false,
                    chart.width, chart.height), plot);
            if (format == Format.table) {
                out.println("plot: " + plot);
            }
        }
        return result.allCompleted() ? 0 : 1;
    }

    private void print(PrintWriter out, SweepResult result, RunConfig base) {
        print(out, format, result, base);
    }

    /** The sweep's table in the format asked for, as this command and 'backprop sweeps ID' print it. */
    static void print(PrintWriter out, Format format, SweepResult result, RunConfig base) {
        if (format == Format.json) {
            out.println(json(result, base));
            return;
        }
        boolean full = format == Format.csv;
        List<String> columns = SweepTable.columns(result);
        List<List<Object>> rows = SweepTable.rows(result, full ? Integer.MAX_VALUE : SweepTable.SHOWN_ROWS);
        if (format == Format.csv) {
            Tables.print(out, format, columns, rows);
            return;
        }
        out.println(PrintableText.escaped(SweepTable.heading(result, base)));
        String progress = SweepTable.progress(result);
        if (progress != null) {
            out.println(progress);
        }
        if (format == Format.markdown) {
            out.println();
        }
        Tables.print(out, format, columns, rows);
        if (format == Format.markdown) {
            out.println();
        }
        out.println(SweepTable.finalMeaning(base.epochs()));
        if (!result.notRun().isEmpty()) {
            out.println("not run: " + result.notRun() + " (a chained sweep stops where a run fails: there are no final weights to continue from)");
        }
    }

    static String json(SweepResult result, RunConfig base) {
        return Tables.prettyJson(g -> {
            g.writeStartObject();
            g.writeNumberField("sweepId", result.sweepId());
            g.writeBooleanField("chained", result.chained());
            g.writeStringField("network", base.network().shape());
            g.writeNumberField("epochs", base.epochs());
            g.writeStringField("final", SweepTable.finalMeaning(base.epochs()));
            g.writeArrayFieldStart("runs");
            for (SweepRun r : result.runs()) {
                g.writeStartObject();
                g.writeNumberField("runId", r.runId());
                g.writeStringField("name", r.started().config().name());
                g.writeNumberField("learningRate", r.learningRate());
                g.writeStringField("startedFrom", r.startedFrom());
                g.writeFieldName("parentRunId");
                Tables.writeValue(g, r.started().lineage() == null ? null : r.started().lineage().parentRunId());
                g.writeFieldName("forkEpoch");
                Tables.writeValue(g, r.started().lineage() == null ? null : r.started().lineage().forkEpoch());
                g.writeStringField("status", r.completed() ? "completed" : r.status());
                g.writeNumberField("epochsRecorded", r.epochsRecorded());
                if (r.completed()) {
                    g.writeFieldName("finalWeights");
                    Tables.writeValue(g, r.finalParameters().weights());
                    g.writeFieldName("finalBiases");
                    Tables.writeValue(g, r.finalParameters().biases());
                    g.writeFieldName("finalError");
                    Tables.writeValue(g, r.finalError());
                    g.writeArrayFieldStart("finalOutputs");
                    Network network = r.started().config().network();
                    for (int sample = 0; sample < r.started().config().data().sampleCount(); sample++) {
                        double[] outputs = new double[network.outputs()];
                        for (int o = 0; o < outputs.length; o++) {
                            outputs[o] = r.finalOutput(sample, o);
                        }
                        Tables.writeValue(g, outputs);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("notRun");
            Tables.writeValue(g, result.notRun());
            g.writeEndObject();
        });
    }
}
