package org.backprop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.backprop.events.QueryResult;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.StoreLocation;

/**
 * The SQL workloads of {@code scripts/bench}: on a store of the seed run and the 64-256-256-10 network trained for 40
 * epochs (run 2), the gradients aggregate by run id, by a subquery on the run's name and by a join with runs, and one
 * weight's history, each as a whole {@code backprop sql} process (medians, the forms taking turns so that a busy
 * moment of the machine falls on all of them); then, inside one process, query shapes of every kind against the full
 * scan of the runs they name.
 */
final class SqlBench {
    /** Starts {@code backprop} with these arguments as a child process that runs beside the benchmark. */
    interface Starter {
        Process start(List<String> args) throws Exception;
    }

    private final boolean quick;
    private final Path dir;
    private final Bench.Command launcher;
    private final Starter starter;
    private final Bench.Figures figures;

    SqlBench(boolean quick, Path dir, Bench.Command launcher, Starter starter, Bench.Figures figures) {
        this.quick = quick;
        this.dir = dir;
        this.launcher = launcher;
        this.starter = starter;
        this.figures = figures;
    }

    void run() throws Exception {
        Path store = dir.resolve("sql");
        Path config = dir.resolve("wide40.json");
        Files.writeString(config, Bench.wideConfig(40));
        launcher.time(List.of("train", "-q", "--db", store.toString()));
        launcher.time(List.of("train", "--config", config.toString(), "-q", "--db", store.toString()));
        wholeProcess(store);
        served(store);
        try (H2EventStore s = H2EventStore.open(StoreLocation.of(store.toString()))) {
            shapes(s);
        }
    }

    private static final String LITERAL = "SELECT COUNT(*), SUM(gradient) FROM gradients WHERE run_id = 2";
    private static final String SUBQUERY = "SELECT COUNT(*), SUM(gradient) FROM gradients WHERE run_id = (SELECT run_id FROM runs WHERE name = 'wide')";
    private static final String JOIN_ON_NAME = "SELECT COUNT(*), SUM(gradient) FROM gradients g JOIN runs r ON r.run_id = g.run_id WHERE r.name = 'wide'";

    private void wholeProcess(Path store) throws Exception {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("literal_id", LITERAL);
        forms.put("subquery", SUBQUERY);
        forms.put("join_on_name", JOIN_ON_NAME);
        forms.put("one_weight", "SELECT COUNT(*), SUM(gradient) FROM gradients WHERE run_id = 2 AND weight = 'w1000'");
        forms.put("start_up", "SELECT 1");
        Map<String, double[]> seconds = turns(store, forms, quick ? 3 : 7);
        double literal = median(seconds.get("literal_id"));
        double startUp = median(seconds.get("start_up"));
        figures.figure("sql.wide40.literal_id.median", literal, "s", null, 0);
        figures.figure("sql.wide40.start_up.median", startUp, "s", null, 0);
        figures.figure("sql.wide40.subquery_over_literal_id", median(seconds.get("subquery")) / literal, "x", "<=", 1.2);
        figures.figure("sql.wide40.join_on_name_over_literal_id", median(seconds.get("join_on_name")) / literal, "x", "<=", 1.2);
        double weight = median(seconds.get("one_weight"));
        figures.figure("sql.wide40.one_weight_over_full_run", weight / literal, "x", null, 0);
        // A process's start-up (JVM, store open) is no part of what a query reads: compared without it.
        figures.figure("sql.wide40.one_weight_over_full_run.beyond_start_up", (weight - startUp) / (literal - startUp), "x", "<=", 0.1);
    }

    /**
     * The literal id, subquery and join forms again while another process serves the store (an idle {@code worker
     * --wait}, as a trainer would): each {@code sql} then reaches the store over the network, and asks the serving
     * process whether its query aggregates. Reported beside the local forms, without targets of their own.
     */
    private void served(Path store) throws Exception {
        Process worker = starter.start(List.of("worker", "--wait", "-q", "--db", store.toString()));
        try {
            Path lock = Path.of(store + ".lock.db");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (Files.notExists(lock)) {
                if (!worker.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("benchmark check failed: the worker serving " + store + " did not start");
                }
                Thread.sleep(50);
            }
            Map<String, String> forms = new LinkedHashMap<>();
            forms.put("literal_id", LITERAL);
            forms.put("subquery", SUBQUERY);
            forms.put("join_on_name", JOIN_ON_NAME);
            Map<String, double[]> seconds = turns(store, forms, quick ? 3 : 5);
            if (!worker.isAlive()) {
                throw new IllegalStateException("benchmark check failed: the worker serving " + store + " ended before the served forms were timed");
            }
            double literal = median(seconds.get("literal_id"));
            figures.figure("sql.wide40.served.literal_id.median", literal, "s", null, 0);
            figures.figure("sql.wide40.served.subquery_over_literal_id", median(seconds.get("subquery")) / literal, "x", null, 0);
            figures.figure("sql.wide40.served.join_on_name_over_literal_id", median(seconds.get("join_on_name")) / literal, "x", null, 0);
        } finally {
            worker.destroy();
            if (!worker.waitFor(60, TimeUnit.SECONDS)) {
                worker.destroyForcibly().waitFor();
            }
        }
    }

    /** Each form as a {@code backprop sql} process, once to warm up, then {@code reps} times, the forms taking turns. */
    private Map<String, double[]> turns(Path store, Map<String, String> forms, int reps) throws Exception {
        Map<String, double[]> seconds = new LinkedHashMap<>();
        forms.keySet().forEach(f -> seconds.put(f, new double[reps]));
        for (String f : forms.keySet()) {
            launcher.time(List.of("sql", "--db", store.toString(), forms.get(f)));
        }
        for (int i = 0; i < reps; i++) {
            for (Map.Entry<String, String> f : forms.entrySet()) {
                seconds.get(f.getKey())[i] = launcher.time(List.of("sql", "--db", store.toString(), f.getValue()));
            }
        }
        return seconds;
    }

    /**
     * A query shape, and the same question answered by reading the runs it names whole: its conditions and its order
     * made of expressions no index can serve ({@code epoch + 0}, {@code run_id + 0}), or, where that would read them
     * more than once, the plain aggregate over them. {@code byName}: the shape names its run through a subquery or a
     * join; it is also compared with the same aggregate naming the run by its id.
     */
    private record Shape(String name, String sql, String fullScan, boolean byName) {
    }

    private static final String GRADIENTS_2 = "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = 2";

    private static List<Shape> allShapes() {
        String updates2 = "SELECT COUNT(*), MAX(ABS(after)) FROM weight_updates WHERE run_id = 2";
        return List.of(
                new Shape("descending_limit", "SELECT epoch, weight, gradient FROM gradients WHERE run_id = 2 ORDER BY run_id DESC, epoch DESC LIMIT 10",
                        "SELECT epoch, weight, gradient FROM gradients WHERE run_id = 2 ORDER BY run_id + 0 DESC, epoch + 0 DESC LIMIT 10", false),
                new Shape("mixed_order_limit", "SELECT epoch, weight FROM gradients WHERE run_id = 2 ORDER BY run_id DESC, epoch, weight LIMIT 5",
                        "SELECT epoch, weight FROM gradients WHERE run_id = 2 ORDER BY run_id + 0 DESC, epoch + 0, weight LIMIT 5", false),
                new Shape("in_list_between", "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id IN (1, 2) AND epoch BETWEEN 10 AND 19",
                        "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id IN (1, 2) AND epoch + 0 BETWEEN 10 AND 19", false),
                new Shape("or_of_ranges", "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = 2 AND (epoch < 5 OR epoch > 35)",
                        "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = 2 AND (epoch + 0 < 5 OR epoch + 0 > 35)", false),
                new Shape("not_equal", "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = 2 AND epoch <> 5",
                        "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = 2 AND epoch + 0 <> 5", false),
                new Shape("not_range", "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = 2 AND NOT (epoch >= 3)",
                        "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = 2 AND NOT (epoch + 0 >= 3)", false),
                new Shape("empty_range", "SELECT COUNT(*) FROM gradients WHERE run_id = 2 AND epoch > 30 AND epoch < 20",
                        "SELECT COUNT(*) FROM gradients WHERE run_id = 2 AND epoch + 0 > 30 AND epoch + 0 < 20", false),
                new Shape("layer_is_null", "SELECT COUNT(*) FROM forward_values WHERE run_id = 2 AND layer = 0 AND net_input IS NULL",
                        "SELECT COUNT(*) FROM forward_values WHERE run_id = 2 AND layer + 0 = 0 AND net_input IS NULL", false),
                new Shape("epoch_from_scalar_subquery", "SELECT COUNT(*) FROM gradients WHERE run_id = 2 AND epoch = (SELECT MAX(epoch) FROM epoch_losses WHERE run_id = 2)",
                        "SELECT COUNT(*) FROM gradients WHERE run_id = 2 AND epoch + 0 = (SELECT MAX(epoch) FROM epoch_losses WHERE run_id = 2)", false),
                new Shape("correlated_from_runs", "SELECT r.name, (SELECT MAX(ABS(g.gradient)) FROM gradients g WHERE g.run_id = r.run_id AND g.epoch = 0) FROM runs r",
                        "SELECT r.name, (SELECT MAX(ABS(g.gradient)) FROM gradients g WHERE g.run_id = r.run_id AND g.epoch + 0 = 0) FROM runs r", false),
                new Shape("epochs_from_another_view", "SELECT COUNT(*), MAX(ABS(g.gradient)) FROM epoch_losses l JOIN gradients g ON g.run_id = l.run_id AND g.epoch = l.epoch"
                        + " WHERE l.run_id = 2 AND l.epoch >= 35", GRADIENTS_2, false),
                new Shape("views_joined_by_weight", "SELECT COUNT(*), MAX(u.after - g.gradient) FROM gradients g JOIN weight_updates u ON u.run_id = g.run_id"
                        + " AND u.epoch = g.epoch AND u.weight = g.weight WHERE g.run_id = 2 AND g.epoch = 7", GRADIENTS_2, false),
                new Shape("one_weight_window", "SELECT epoch, gradient - LAG(gradient) OVER (ORDER BY epoch) FROM gradients WHERE run_id = 2 AND weight = 'w1000'",
                        "SELECT epoch, gradient - LAG(gradient) OVER (ORDER BY epoch) FROM gradients WHERE run_id = 2 AND SUBSTRING(weight, 1) = 'w1000'", false),
                new Shape("one_bias_two_views", "SELECT u.epoch, u.after, g.gradient FROM weight_updates u JOIN gradients g ON g.run_id = u.run_id AND g.epoch = u.epoch"
                        + " AND g.weight = u.weight WHERE u.run_id = 2 AND u.weight = 'b500' ORDER BY u.epoch DESC", updates2, false),
                new Shape("union", "SELECT epoch FROM gradients WHERE run_id = 2 AND epoch < 2 AND weight = 'w7' UNION SELECT epoch FROM gradients WHERE run_id = 2"
                        + " AND epoch > 37 AND weight = 'w7' ORDER BY 1 DESC", GRADIENTS_2, false),
                new Shape("group_by_run_and_epoch", "SELECT run_id, epoch, MAX(ABS(gradient)) FROM gradients WHERE run_id = 2 GROUP BY run_id, epoch",
                        "SELECT run_id, epoch, MAX(ABS(gradient)) FROM gradients WHERE run_id = 2 GROUP BY run_id + 0, epoch + 0", false),
                new Shape("run_from_scalar_subquery", "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id = (SELECT run_id FROM runs WHERE name = 'wide')",
                        "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id + 0 = (SELECT run_id FROM runs WHERE name = 'wide')", true),
                new Shape("runs_from_in_subquery", "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id IN (SELECT run_id FROM runs WHERE layers = '64-256-256-10')",
                        "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients WHERE run_id + 0 IN (SELECT run_id FROM runs WHERE layers = '64-256-256-10')", true),
                new Shape("run_from_join_on_name", "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients g JOIN runs r ON r.run_id = g.run_id WHERE r.name = 'wide'",
                        "SELECT COUNT(*), MAX(ABS(gradient)) FROM gradients g JOIN runs r ON r.run_id = g.run_id + 0 WHERE r.name = 'wide'", true));
    }

    private void shapes(H2EventStore store) {
        int reps = quick ? 3 : 5;
        Map<String, Double> fullScans = new LinkedHashMap<>();
        double worst = 0;
        double worstByName = 0;
        String worstShape = null;
        for (Shape shape : allShapes()) {
            double full = fullScans.computeIfAbsent(shape.fullScan, sql -> medianSeconds(store, sql, reps));
            double seconds = medianSeconds(store, shape.sql, reps);
            double ratio = seconds / full;
            figures.figure("sql.shape." + shape.name + "_over_full_scan", ratio, "x", null, 0);
            if (ratio > worst) {
                worst = ratio;
                worstShape = shape.name;
            }
            if (shape.byName) {
                double literal = fullScans.computeIfAbsent(GRADIENTS_2, sql -> medianSeconds(store, sql, reps));
                figures.figure("sql.shape." + shape.name + "_over_literal_id", seconds / literal, "x", null, 0);
                worstByName = Math.max(worstByName, seconds / literal);
            }
        }
        System.out.println("# slowest shape against reading its runs whole: " + worstShape);
        // A shape that reads what the full scan reads measures about 1; a tenth more is this machine's noise.
        figures.figure("sql.shapes.worst_over_full_scan", worst, "x", "<=", 1.1);
        // H2 evaluates a subquery's condition again on every row it reads (a cached result, looked up each time), so
        // naming the run by a subquery costs more a row than naming it by its id: reported, not a target.
        figures.figure("sql.shapes.worst_run_named_by_subquery_or_join_over_literal_id", worstByName, "x", null, 0);
    }

    private static double medianSeconds(H2EventStore store, String sql, int reps) {
        // Each query opens its own connection, so H2 computes it again instead of handing back a cached result.
        QueryResult warm = store.query(sql);
        if (warm.rows().isEmpty()) {
            throw new IllegalStateException("benchmark check failed: no rows from " + sql);
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            store.query(sql);
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        return median(t);
    }

    private static double median(double[] values) {
        return Bench.median(values);
    }
}
