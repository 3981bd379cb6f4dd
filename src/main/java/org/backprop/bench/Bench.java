package org.backprop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.backprop.model.Network;
import org.backprop.events.QueryResult;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.store.Stores;
import org.backprop.store.StoreLocation;

/**
 * The performance benchmark behind {@code scripts/bench}: each workload on a fresh store in a temp folder, one line
 * per figure ({@code name value unit}), then the targets each figure is held to. Whole-process figures run the
 * launcher as a child process, exactly as a user would.
 */
public final class Bench {
    private final boolean quick;
    private final Path launcher;
    private final Path dir;
    private final List<String> verdicts = new ArrayList<>();

    private Bench(boolean quick, Path launcher, Path dir) {
        this.quick = quick;
        this.launcher = launcher;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path launcher = Path.of(System.getProperty("backprop.launcher", "scripts/backprop")).toAbsolutePath();
        Path dir = Files.createTempDirectory("backprop-bench");
        try {
            new Bench(quick, launcher, dir).run();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run() throws Exception {
        System.out.printf("# backprop benchmark%s on %d cores, Java %s, %s%n", quick ? " (quick)" : "",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("os.arch"));
        int wideEpochs = quick ? 40 : 200;
        int longEpochs = quick ? 200_000 : 1_000_000;

        Path wideConfig = dir.resolve("wide.json");
        Files.writeString(wideConfig, wideConfig(wideEpochs));
        Path wideStore = dir.resolve("wide");
        double wideSeconds = timeProcess(List.of("train", "--config", wideConfig.toString(), "-q", "--db", wideStore.toString()));
        Network wide = new Network(new int[] {64, 256, 256, 10}, List.of(org.backprop.model.Activation.SIGMOID,
                org.backprop.model.Activation.SIGMOID, org.backprop.model.Activation.IDENTITY), true, true);
        long exposed = exposedValuesPerEpoch(wide, 1) * wideEpochs;
        long wideBytes = Files.size(Path.of(wideStore + ".mv.db"));
        figure("wide.exposed_values_per_second", exposed / wideSeconds, "values/s", ">=", 25e6);
        figure("wide.store_bytes_per_exposed_value", (double) wideBytes / exposed, "bytes", "<=", 6);
        figure("wide.wall_time", wideSeconds, "s", null, 0);

        Path longStore = dir.resolve("long");
        double longSeconds = timeProcess(List.of("train", "--epochs", Integer.toString(longEpochs), "-q", "--db", longStore.toString()));
        figure("long.epochs_per_second", longEpochs / longSeconds, "epochs/s", ">=", 250_000);
        figure("long.store_bytes_per_epoch", (double) Files.size(Path.of(longStore + ".mv.db")) / longEpochs, "bytes", null, 0);

        try (EventStore store = Stores.open(StoreLocation.of(longStore.toString()), StoreAccess.CREATE)) {
            figure("state.long.median", stateMedianMillis(store, longEpochs, quick ? 300 : 1000), "ms", "<", 0.2);
            figure("sql.long.epoch_sheet_100_rows.median", medianMillis(quick ? 5 : 20, () -> {
                QueryResult r = store.query("SELECT * FROM epoch_sheet WHERE run_id = 1 AND epoch BETWEEN "
                        + longEpochs / 2 + " AND " + (longEpochs / 2 + 99));
                check(r.rows().size() == 100, "the epoch_sheet range returned " + r.rows().size() + " rows");
            }), "ms", "<", 20);
        }
        // The web page over the long run, and over a store of many runs.
        new UiBench(dir, launcher, quick, this::figure).run(longStore, longEpochs);

        try (EventStore store = Stores.open(StoreLocation.of(wideStore.toString()), StoreAccess.CREATE)) {
            figure("state.wide.median", stateMedianMillis(store, wideEpochs, quick ? 50 : 200), "ms", "<", 2);
            long weights = wide.weightCount() + wide.biasCount();
            long values = weights * wideEpochs;
            // The same aggregate over as many rows of H2's own row generator: what H2's executor costs a row before any
            // table is read (the condition, ABS, two aggregates), the most any view under it can reach on this machine.
            String floorSql = "SELECT COUNT(*), MAX(ABS(CAST(X AS DOUBLE PRECISION))) FROM SYSTEM_RANGE(1, " + values + ") WHERE X > 0";
            Work view = () -> {
                QueryResult r = store.query("SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = 1");
                check(((Number) r.rows().get(0).get(0)).longValue() == values, "gradients row count");
            };
            Work floor = () -> check(((Number) store.query(floorSql).rows().get(0).get(0)).longValue() == values, "range row count");
            // Medians of five after a first run, the two taking turns: the query's speed, not the JIT's or a busy moment's.
            view.run();
            floor.run();
            double[] viewSeconds = new double[5];
            double[] floorSeconds = new double[5];
            for (int i = 0; i < viewSeconds.length; i++) {
                viewSeconds[i] = timeSeconds(view);
                floorSeconds[i] = timeSeconds(floor);
            }
            double gradients = median(viewSeconds);
            figure("sql.wide.gradients_values_per_second", values / gradients, "values/s", ">=", 20e6);
            figure("sql.wide.h2_row_generator_values_per_second", values / median(floorSeconds), "values/s", null, 0);
            figure("sql.wide.gradients_over_h2_row_generator", median(floorSeconds) / gradients, "x", ">=", 0.8);
            double updates = medianMillis(3, () -> {
                QueryResult r = store.query("SELECT COUNT(*), MAX(ABS(after)) FROM weight_updates WHERE run_id = 1");
                check(((Number) r.rows().get(0).get(0)).longValue() == weights * wideEpochs, "weight_updates row count");
            }) / 1e3;
            // before, delta and after: three values a row.
            figure("sql.wide.weight_updates_values_per_second", 3 * weights * wideEpochs / updates, "values/s", ">=", 3e6);
        }

        new SqlBench(quick, dir, this::timeProcess, args -> background(launcher, args), this::figure).run();

        Path startStore = dir.resolve("startup");
        timeProcess(List.of("train", "-q", "--db", startStore.toString()));
        int reps = quick ? 5 : 15;
        double train = medianOf(reps, () -> timeProcess(List.of("train", "-q", "--db", startStore.toString())));
        double version = medianOf(reps, () -> timeCommand(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")));
        figure("startup.train", train, "s", null, 0);
        figure("startup.java_version", version, "s", null, 0);
        figure("startup.train_minus_java_version", train - version, "s", "<=", 0.45);
        try (EventStore store = Stores.open(StoreLocation.of(startStore.toString()), StoreAccess.CREATE)) {
            // The same lookup on a 100-epoch run: state costs the same whatever the run's length.
            figure("state.seed_100_epochs.median", stateMedianMillis(store, 100, quick ? 300 : 1000), "ms", null, 0);
        }

        AuditBenchmark.run(dir, quick, this::figure, this::timeProcess);
        WritersBenchmark.run(dir, quick, launcher, this::figure, this::timeProcess);

        String postgres = System.getenv(StoreBench.VARIABLE);
        if (postgres == null || postgres.isBlank()) {
            System.out.println("# the team store's figures are left out: no PostgreSQL server (" + StoreBench.VARIABLE
                    + " unset, and scripts/bench found no PostgreSQL binaries to start one)");
        } else {
            new StoreBench(dir, quick, this::figure, new Processes() {
                @Override
                public double time(List<String> args) throws IOException, InterruptedException {
                    return timeProcess(args);
                }

                @Override
                public double timeTogether(List<List<String>> commands) throws IOException, InterruptedException {
                    return timeProcesses(commands);
                }
            }, postgres.strip()).run();
        }

        if (quick) {
            System.out.println("# quick: smaller workloads, so whole-process figures carry more start-up; the targets are for the full run");
        }
        verdicts.forEach(System.out::println);
    }

    /** Every value the views expose for one epoch (null net inputs and deltas of the input layer not counted). */
    static long exposedValuesPerEpoch(Network n, int samples) {
        long forward = (long) samples * (n.inputs() + 3L * n.neuronCount());
        long losses = 3L * samples * n.outputs() + 1;
        long parameters = n.weightCount() + n.biasCount();
        return forward + losses + parameters + 3 * parameters;
    }

    static String wideConfig(int epochs) {
        StringBuilder inputs = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            inputs.append(i == 0 ? "" : ", ").append((i * 37 % 100) / 100.0);
        }
        return """
                {"name": "wide", "layers": [64, 256, 256, 10], "activations": ["sigmoid", "sigmoid", "identity"],
                 "seed": 1, "biases": true, "trainBiases": true,
                 "inputs": [[%s]], "targets": [[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]],
                 "learningRate": 0.01, "epochs": %d}""".formatted(inputs, epochs);
    }

    private double stateMedianMillis(EventStore store, int epochs, int lookups) {
        SplittableRandom random = new SplittableRandom(7);
        // Warm-up, so the median is the lookup's and not the JIT's.
        for (int i = 0; i < 200; i++) {
            store.parametersAt(1, random.nextInt(epochs));
        }
        double[] ms = new double[lookups];
        for (int i = 0; i < lookups; i++) {
            int epoch = random.nextInt(epochs);
            long t0 = System.nanoTime();
            store.parametersAt(1, epoch);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return median(ms);
    }

    private double timeProcess(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        return timeCommand(command);
    }

    private double timeCommand(List<String> command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        int code = process(command).waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        check(code == 0, String.join(" ", command) + " exited with " + code);
        return seconds;
    }

    /** Starts the launcher with each of the argument lists at once and times them until the last has ended. */
    private double timeProcesses(List<List<String>> commands) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        List<Process> started = new ArrayList<>();
        for (List<String> args : commands) {
            List<String> command = new ArrayList<>();
            command.add(launcher.toString());
            command.addAll(args);
            started.add(process(command));
        }
        for (int i = 0; i < started.size(); i++) {
            int code = started.get(i).waitFor();
            check(code == 0, String.join(" ", commands.get(i)) + " exited with " + code);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private Process process(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(command.get(0).equals(launcher.toString()) ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
        // The launcher runs every command in a 1 GB heap unless told otherwise; make sure nothing tells it otherwise.
        pb.environment().remove("BACKPROP_HEAP");
        pb.environment().remove("BACKPROP_JAVA_OPTS");
        return pb.start();
    }

    interface Timed {
        double run() throws Exception;
    }

    interface Work {
        void run() throws Exception;
    }

    /** Where a workload reports a figure: its name, value and unit, and the target it is held to (relation null for none). */
    interface Figures {
        void figure(String name, double value, String unit, String relation, double target);
    }

    /** The launcher run as a child process with these arguments, timed in seconds. */
    interface Command {
        double time(List<String> args) throws Exception;
    }

    /** The launcher run as child processes, timed: one command, or several started together until the last ends. */
    interface Processes {
        double time(List<String> args) throws IOException, InterruptedException;

        double timeTogether(List<List<String>> commands) throws IOException, InterruptedException;
    }

    static double medianOf(int reps, Timed timed) throws Exception {
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            t[i] = timed.run();
        }
        return median(t);
    }

    static double timeSeconds(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Starts {@code backprop} with these arguments beside the benchmark: its output discarded, its errors shown. */
    static Process background(Path launcher, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static double medianMillis(int reps, Work work) throws Exception {
        work.run();
        return medianOf(reps, () -> timeSeconds(work) * 1e3);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark check failed: " + what);
        }
    }

    void figure(String name, double value, String unit, String relation, double target) {
        String shown = Math.abs(value) >= 1000 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.4g", value);
        System.out.println(name + " " + shown + " " + unit);
        System.out.flush();
        if (relation != null) {
            boolean met = switch (relation) {
                case ">=" -> value >= target;
                case "<=" -> value <= target;
                default -> value < target;
            };
            verdicts.add(String.format(Locale.ROOT, "# %-45s %s target %s %s %s", name, met ? "meets" : "MISSES", relation,
                    target >= 1000 ? String.format(Locale.ROOT, "%.0f", target) : Double.toString(target), unit));
        }
    }
}
