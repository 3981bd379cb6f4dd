package org.backprop.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.backprop.diff.EpochDiff;
import org.backprop.diff.RunDiff;
import org.backprop.diff.WeightDifference;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.replay.EpochSheet;
import org.backprop.replay.Replay;
import org.backprop.replay.ValueNames;
import org.backprop.events.RunSummary;
import org.backprop.sweep.SweepResult;
import org.backprop.sweep.SweepTable;
import org.backprop.table.RowStream;

/**
 * Every table and curve of the pages as a CSV or JSON file, uncapped, written by the row streams and tables the
 * commands print with ({@code runs}, {@code export}, {@code sql}'s views, {@code diff}, {@code sweep}), with the
 * views' column names.
 */
final class Downloads {
    private final StoreView view;
    private final EventStore events;
    private final CompareApi compare;
    private final SweepApi sweeps;

    Downloads(StoreView view, CompareApi compare, SweepApi sweeps) {
        this.view = view;
        this.events = view.events();
        this.compare = compare;
        this.sweeps = sweeps;
    }

    /** What a download's rows are written to. */
    @FunctionalInterface
    interface Rows {
        void write(RowStream rows);
    }

    /** {@code /download/...}: the path after it, such as {@code runs/1/epochs.csv}. */
    void serve(Request r) throws IOException {
        List<String> path = r.segments().subList(1, r.size());
        String last = path.get(path.size() - 1);
        int dot = last.lastIndexOf('.');
        String format = dot < 0 ? "" : last.substring(dot + 1);
        if (!format.equals("csv") && !format.equals("json")) {
            throw BadRequestException.notFound("downloads are .csv or .json files, not '" + last + "'");
        }
        String name = last.substring(0, dot);
        List<String> at = new ArrayList<>(path.subList(0, path.size() - 1));
        at.add(name);
        String file = String.join("-", at) + "." + format;
        switch (at.size()) {
            case 1 -> {
                if (!name.equals("runs")) {
                    throw BadRequestException.notFound("there is no download " + r.path());
                }
                send(r, format, file, RunSummary.COLUMNS, rows -> view.runs().forEach(s -> rows.row(s.row())));
            }
            case 2 -> {
                if (at.get(0).equals("sweeps")) {
                    sweep(r, format, file, Request.runId(name));
                } else if (at.get(0).equals("compare")) {
                    compare(r, format, file, name);
                } else {
                    throw BadRequestException.notFound("there is no download " + r.path());
                }
            }
            case 3 -> {
                if (!at.get(0).equals("runs")) {
                    throw BadRequestException.notFound("there is no download " + r.path());
                }
                run(r, format, file, Request.runId(at.get(1)), name);
            }
            case 5 -> {
                if (!at.get(0).equals("runs") || !at.get(2).equals("epochs")) {
                    throw BadRequestException.notFound("there is no download " + r.path());
                }
                long id = Request.runId(at.get(1));
                int epoch = Request.number("epoch", at.get(3), 0, Integer.MAX_VALUE);
                epoch(r, format, file, id, epoch, name);
            }
            default -> throw BadRequestException.notFound("there is no download " + r.path());
        }
    }

    private static void send(Request r, String format, String file, List<String> columns, Rows body) throws IOException {
        String type = format.equals("csv") ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        Reply.download(r.exchange(), type, file, (PrintWriter out) -> {
            try (RowStream rows = format.equals("csv") ? RowStream.csv(out, columns) : RowStream.json(out, columns)) {
                body.write(rows);
            }
        });
    }

    private void run(Request r, String format, String file, long id, String name) throws IOException {
        Replay replay = new Replay(events, id);
        RunConfig c = replay.started().config();
        int count = replay.epochCount();
        switch (name) {
            case "epochs" -> {
                EpochSheet sheet = new EpochSheet(replay.started(), false);
                send(r, format, file, sheet.columns(), rows -> eachEpoch(replay, e -> rows.row(sheet.row(e))));
            }
            case "losses" -> send(r, format, file, List.of("run_id", "epoch", "total_error"),
                    rows -> eachEpoch(replay, e -> rows.row(Arrays.asList(id, e.epoch(), e.loss()))));
            case "weights" -> {
                ValueNames names = new ValueNames(c);
                int parameters = c.network().weightCount() + c.network().biasCount();
                List<String> columns = new ArrayList<>(List.of("run_id", "epoch"));
                for (int k = 0; k < parameters; k++) {
                    columns.add(names.parameter(k));
                }
                send(r, format, file, columns, rows -> {
                    eachEpoch(replay, e -> rows.row(parameterRow(id, e.epoch(), e.before())));
                    rows.row(parameterRow(id, count, replay.stateAt(count)));
                });
            }
            default -> throw BadRequestException.notFound("there is no download " + r.path());
        }
    }

    private static void eachEpoch(Replay replay, java.util.function.Consumer<EpochRecorded> action) {
        if (replay.epochCount() > 0) {
            replay.forEach(0, replay.epochCount() - 1, action);
        }
    }

    private static List<Object> parameterRow(long id, int epoch, Parameters p) {
        List<Object> row = new ArrayList<>(2 + p.weightCount() + p.biasCount());
        row.add(id);
        row.add(epoch);
        for (double w : p.weights()) {
            row.add(w);
        }
        for (double b : p.biases()) {
            row.add(b);
        }
        return row;
    }

    private void epoch(Request r, String format, String file, long id, int epoch, String name) throws IOException {
        Replay replay = new Replay(events, id);
        EpochRecorded e = replay.epoch(epoch);
        RunConfig c = replay.started().config();
        Network n = c.network();
        EpochSheet sheet = new EpochSheet(replay.started(), false);
        switch (name) {
            case "neurons" -> send(r, format, file,
                    List.of("run_id", "epoch", "sample", "layer", "neuron", "net_input", "activation", "delta"), rows -> {
                        for (int s = 0; s < c.data().sampleCount(); s++) {
                            for (int i = 0; i < n.inputs(); i++) {
                                rows.row(Arrays.asList(id, epoch, s + 1, 0, i + 1, null, c.data().input(s, i), null));
                            }
                            for (int k = 0; k < n.neuronCount(); k++) {
                                Network.WeightPosition p = n.biasPosition(k);
                                rows.row(Arrays.asList(id, epoch, s + 1, p.layer(), p.toNeuron(), e.netInput(n, s, k), e.activation(n, s, k),
                                        e.delta(n, s, k)));
                            }
                        }
                    });
            case "outputs" -> send(r, format, file, List.of("run_id", "epoch", "sample", "output", "target", "actual", "error"), rows -> {
                int first = n.neuronOffset(n.layerCount() - 1);
                for (int s = 0; s < c.data().sampleCount(); s++) {
                    for (int o = 0; o < n.outputs(); o++) {
                        rows.row(Arrays.asList(id, epoch, s + 1, o + 1, c.data().target(s, o), e.activation(n, s, first + o),
                                sheet.outputError(e, s, o)));
                    }
                }
            });
            case "parameters" -> send(r, format, file,
                    List.of("run_id", "epoch", "weight", "layer", "from_neuron", "to_neuron", "gradient", "before", "delta", "after"), rows -> {
                        EpochSheet.Update[] updates = sheet.updates(e);
                        for (int k = 0; k < updates.length; k++) {
                            EpochSheet.Update u = updates[k];
                            Network.WeightPosition p = k < n.weightCount() ? n.weightPosition(k) : n.biasPosition(k - n.weightCount());
                            rows.row(Arrays.asList(id, epoch, u.name(), p.layer(), p.fromNeuron(), p.toNeuron(), u.gradient(), u.before(),
                                    u.delta(), u.after()));
                        }
                    });
            default -> throw BadRequestException.notFound("there is no download " + r.path());
        }
    }

    private void compare(Request r, String format, String file, String name) throws IOException {
        long a = Request.runId(r.param("a"));
        long b = Request.runId(r.param("b"));
        RunDiff diff = compare.diff(a, b);
        String named = file.replace("." + format, "-" + a + "-" + b + "." + format);
        switch (name) {
            case "diff" -> send(r, format, named,
                    List.of("epoch", "loss_a", "loss_b", "loss_difference", "max_weight_difference", "weights_equal"), rows -> {
                        for (int e = 0; e < diff.rowCount(); e++) {
                            EpochDiff d = diff.row(e);
                            rows.row(Arrays.asList(d.epoch(), d.lossA(), d.lossB(), d.lossDifference(), d.maxWeightDifference(), d.weightsEqual()));
                        }
                    });
            case "weights" -> {
                int epoch = r.requiredInt("epoch", 0, diff.rowCount() - 1);
                send(r, format, named.replace("." + format, "-epoch-" + epoch + "." + format), List.of("weight", "a", "b", "difference"),
                        rows -> diff.weightsAt(events, epoch).forEach((WeightDifference w) -> rows.row(Arrays.asList(w.name(), w.a(), w.b(),
                                w.difference()))));
            }
            default -> throw BadRequestException.notFound("there is no download " + r.path());
        }
    }

    private void sweep(Request r, String format, String file, long sweepId) throws IOException {
        SweepResult result = sweeps.load(sweepId);
        send(r, format, file.replace("sweeps-", "sweep-"), SweepTable.columns(result),
                rows -> SweepTable.rows(result, Integer.MAX_VALUE).forEach(rows::row));
    }
}
