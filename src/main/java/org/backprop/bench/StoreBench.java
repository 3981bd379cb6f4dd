package org.backprop.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.backprop.events.EventStore;
import org.backprop.events.QueryResult;
import org.backprop.model.Activation;
import org.backprop.model.Network;
import org.backprop.store.StoreAccess;
import org.backprop.store.StoreLocation;
import org.backprop.store.Stores;

/**
 * The team store's figures, measured the same way on an H2 file and on PostgreSQL and printed side by side: the seed
 * network's long run and the wide network as whole processes, the epoch_sheet range and the gradients aggregate in
 * SQL, and a queued sweep trained by one worker and by three. PostgreSQL is the server {@code BACKPROP_BENCH_POSTGRES}
 * names (a JDBC URL of a role that may create databases; scripts/bench starts a private cluster when none is given):
 * each workload gets a database of its own, dropped afterwards.
 */
final class StoreBench {
    static final String VARIABLE = "BACKPROP_BENCH_POSTGRES";
    private static final int SWEEP_RUNS = 30;

    private final Path dir;
    private final boolean quick;
    private final Bench.Figures figures;
    private final Bench.Processes processes;
    private final String adminUrl;
    private final List<String> databases = new ArrayList<>();
    private final Map<String, double[]> sideBySide = new LinkedHashMap<>();

    StoreBench(Path dir, boolean quick, Bench.Figures figures, Bench.Processes processes, String adminUrl) {
        this.dir = dir;
        this.quick = quick;
        this.figures = figures;
        this.processes = processes;
        this.adminUrl = adminUrl;
    }

    /** The workloads on both stores, then the table of the two side by side. */
    void run() throws Exception {
        try {
            measure(0, "h2", name -> dir.resolve("side-" + name).toString());
            measure(1, "postgres", this::newDatabase);
        } finally {
            dropDatabases();
        }
        System.out.printf(Locale.ROOT, "# %-52s %-13s %-13s %s%n", "team store figure", "H2", "PostgreSQL", "PostgreSQL target");
        sideBySide.forEach((name, v) -> System.out.printf(Locale.ROOT, "# %-52s %-13s %-13s %s%n", name, shown(v[0]), shown(v[1]),
                v[2] == 0 ? "" : (v[3] > 0 ? ">= " : "< ") + shown(v[2]) + ((v[3] > 0 ? v[1] >= v[2] : v[1] < v[2]) ? " meets" : " MISSES")));
    }

    private void measure(int column, String store, Function<String, String> db) throws Exception {
        int longEpochs = quick ? 200_000 : 1_000_000;
        String longDb = db.apply("long");
        double longSeconds = processes.time(List.of("train", "--epochs", Integer.toString(longEpochs), "-q", "--db", longDb));
        record(column, store, "long.epochs_per_second", longEpochs / longSeconds, "epochs/s", 150_000, true);

        int wideEpochs = quick ? 40 : 200;
        Path wideConfig = dir.resolve("side-wide.json");
        java.nio.file.Files.writeString(wideConfig, Bench.wideConfig(wideEpochs));
        String wideDb = db.apply("wide");
        double wideSeconds = processes.time(List.of("train", "--config", wideConfig.toString(), "-q", "--db", wideDb));
        Network wide = new Network(new int[] {64, 256, 256, 10}, List.of(Activation.SIGMOID, Activation.SIGMOID, Activation.IDENTITY), true, true);
        record(column, store, "wide.exposed_values_per_second", Bench.exposedValuesPerEpoch(wide, 1) * wideEpochs / wideSeconds, "values/s",
                10e6, true);

        try (EventStore s = Stores.open(StoreLocation.of(longDb), StoreAccess.READ)) {
            double ms = Bench.medianMillis(quick ? 5 : 20, () -> {
                QueryResult r = s.query("SELECT * FROM epoch_sheet WHERE run_id = 1 AND epoch BETWEEN " + longEpochs / 2 + " AND "
                        + (longEpochs / 2 + 99) + " ORDER BY epoch");
                Bench.check(r.rows().size() == 100, "the epoch_sheet range returned " + r.rows().size() + " rows");
            });
            record(column, store, "sql.long.epoch_sheet_100_rows.median", ms, "ms", 20, false);
        }
        try (EventStore s = Stores.open(StoreLocation.of(wideDb), StoreAccess.READ)) {
            long weights = wide.weightCount() + wide.biasCount();
            Bench.Work aggregate = () -> {
                QueryResult r = s.query("SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = 1");
                Bench.check(((Number) r.rows().get(0).get(0)).longValue() == weights * wideEpochs, "gradients row count");
            };
            aggregate.run();
            double seconds = Bench.medianOf(3, () -> Bench.timeSeconds(aggregate));
            record(column, store, "sql.wide.gradients_values_per_second", weights * wideEpochs / seconds, "values/s", 5e6, true);
        }

        double one = sweepOnWorkers(db.apply("sweep1"), 1);
        double three = sweepOnWorkers(db.apply("sweep3"), 3);
        record(column, store, "sweep30.one_worker_seconds", one, "s", 0, true);
        record(column, store, "sweep30.three_workers_seconds", three, "s", 0, true);
        record(column, store, "sweep30.three_workers_speedup", one / three, "x", 2.5, true);
    }

    /** Queues a sweep of 30 seed runs and times {@code workers} worker processes training it, from their start to the last one's end. */
    private double sweepOnWorkers(String db, int workers) throws IOException, InterruptedException {
        int epochs = quick ? 5_000 : 40_000;
        StringBuilder rates = new StringBuilder();
        for (int i = 1; i <= SWEEP_RUNS; i++) {
            rates.append(i == 1 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", 0.05 * i));
        }
        processes.time(List.of("sweep", "--lr", rates.toString(), "--epochs", Integer.toString(epochs), "--queue", "--db", db));
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            commands.add(List.of("worker", "-q", "--poll", "1", "--db", db));
        }
        double seconds = processes.timeTogether(commands);
        try (EventStore s = Stores.open(StoreLocation.of(db), StoreAccess.READ)) {
            Bench.check(s.runs().stream().filter(r -> r.status().equals("completed")).count() == SWEEP_RUNS, "every queued run completed");
        }
        return seconds;
    }

    private void record(int column, String store, String name, double value, String unit, double target, boolean atLeast) {
        figures.figure(store + "." + name, value, unit, null, 0);
        double[] row = sideBySide.computeIfAbsent(name + " (" + unit + ")", k -> new double[] {Double.NaN, Double.NaN, target, atLeast ? 1 : 0});
        row[column] = value;
    }

    private static String shown(double v) {
        return Double.isNaN(v) ? "-" : Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** A new database on the server, owned by the benchmark's role, as the store's URL. */
    private String newDatabase(String name) {
        String database = "bp_bench_" + name + "_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the benchmark database " + database + ": " + e.getMessage(), e);
        }
        databases.add(database);
        return adminUrl.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
    }

    private void dropDatabases() {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            for (String d : databases) {
                s.execute("DROP DATABASE IF EXISTS " + d + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.out.println("# could not drop the benchmark databases " + databases + ": " + e.getMessage());
        }
    }
}
