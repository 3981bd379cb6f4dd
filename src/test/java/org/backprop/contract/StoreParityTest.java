package org.backprop.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.backprop.cli.Cli;
import org.backprop.events.EventStore;
import org.backprop.events.Lineage;
import org.backprop.events.RunRecorder;
import org.backprop.store.TempPostgres;
import org.backprop.store.TempStore;
import org.backprop.sweep.Fork;
import org.backprop.sweep.ForkRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same runs trained into an H2 store and a PostgreSQL store: every view's rows, every run_diff and every command's
 * output are the same, byte for byte (times and the store's name aside, which differ by nature).
 */
@Tag("slow")
class StoreParityTest {
    /** Each view with every column but times, ordered by its key. */
    private static final List<String> VIEWS = List.of(
            "SELECT run_id, name, learning_rate, epochs, status, parent_run_id, fork_epoch, sweep_id, layers, activations, sample_count,"
                    + " epochs_recorded, reason, failed_epoch FROM runs ORDER BY run_id",
            "SELECT * FROM forward_values ORDER BY run_id, epoch, sample, layer, neuron",
            "SELECT * FROM losses ORDER BY run_id, epoch, sample, output",
            "SELECT * FROM epoch_losses ORDER BY run_id, epoch",
            "SELECT * FROM gradients ORDER BY run_id, epoch, weight",
            "SELECT * FROM weight_updates ORDER BY run_id, epoch, weight",
            "SELECT * FROM epoch_sheet ORDER BY run_id, epoch",
            "SELECT sweep_id, chained FROM sweeps ORDER BY sweep_id",
            "SELECT * FROM run_diff(1, 3) ORDER BY epoch",
            "SELECT * FROM run_diff(1, 3, FALSE) ORDER BY epoch",
            "SELECT * FROM run_diff(3, 7) ORDER BY epoch",
            "SELECT * FROM run_diff(7, 1) ORDER BY epoch",
            "SELECT * FROM run_diff(7, 1, FALSE) ORDER BY epoch",
            "SELECT * FROM run_diff(1, 2) ORDER BY epoch",
            "SELECT * FROM run_diff(4, 5) ORDER BY epoch",
            "SELECT * FROM run_diff(1, 6) ORDER BY epoch",
            "SELECT * FROM run_diff(1, 8) ORDER BY epoch",
            "SELECT * FROM run_diff(8, 3) ORDER BY epoch",
            // Aggregates named, as each database names them its own way; no SUM, whose rounding depends on the order it adds in.
            "SELECT run_id, COUNT(*) AS n, MIN(gradient) AS lowest, MAX(ABS(gradient)) AS largest FROM gradients GROUP BY run_id ORDER BY run_id",
            "SELECT f.run_id, f.epoch, f.activation, l.error FROM forward_values f JOIN losses l ON l.run_id = f.run_id AND l.epoch = f.epoch"
                    + " AND l.sample = f.sample AND f.layer = 2 AND f.neuron = l.output WHERE f.run_id = 3 AND f.epoch BETWEEN 5 AND 9"
                    + " ORDER BY f.epoch, l.output");

    /** Commands whose whole output must agree. */
    private static final List<List<String>> COMMANDS = List.of(
            List.of("replay", "1", "--from", "0", "--to", "2"),
            List.of("replay", "3", "--epoch", "4", "--format", "csv"),
            List.of("state", "3", "--epoch", "12", "--format", "csv"),
            List.of("state", "7", "--final"),
            List.of("diff", "1", "3"),
            List.of("diff", "1", "2", "--format", "json"),
            List.of("diff", "3", "7"),
            List.of("diff", "7", "1", "--format", "json"),
            List.of("diff", "1", "8"),
            List.of("export", "3", "--format", "csv"),
            List.of("sweeps", "1"));

    @RegisterExtension
    final TempStore h2 = new TempStore();

    @RegisterExtension
    final TempPostgres postgres = new TempPostgres();

    @TempDir
    Path dir;

    @Test
    void theSameRunsReadTheSameInBothStoresByteForByte() throws Exception {
        Cli a = new Cli(h2.folder());
        Cli b = Cli.forDb(postgres.url());
        for (Cli cli : List.of(a, b)) {
            ok(cli.run("train", "--quiet"));
            ok(cli.run("train", "--lr", "0.5", "--epochs", "60", "--name", "fast", "--quiet"));
            ok(cli.run("fork", "1", "--at", "40", "--lr", "0.3", "--epochs", "30"));
            ok(cli.run("sweep", "--lr", "0.2,2.0", "--epochs", "25", "--quiet"));
            ok(cli.run("train", "--config", Path.of("scripts/examples/xor.json").toAbsolutePath().toString(), "--epochs", "20", "--quiet"));
            ok(cli.run("fork", "3", "--at", "10", "--epochs", "8"));
        }
        for (EventStore store : List.of(h2.open(), postgres.open())) {
            // Run 8: a fork at another rate that ended before its first epoch (killed, or stopped at once).
            try (store; RunRecorder noEpochs = store.start(new Fork(store).plan(new ForkRequest(1, 40, 0.9, 5, "no-epochs")), new Lineage(1, 40), null)) {
                assertEquals(8, noEpochs.started().runId());
            }
        }
        // Lined up with its parent, the fork that recorded nothing holds the parent's weights at the fork point.
        assertEquals("epoch,max_weight_difference,weights_equal\n40,0.0,true\n",
                ok(a.run("sql", "SELECT epoch, max_weight_difference, weights_equal FROM run_diff(1, 8) WHERE epoch = 40", "--format", "csv")));
        for (String sql : VIEWS) {
            String fromH2 = ok(a.run("sql", sql, "--format", "csv"));
            assertTrue(fromH2.lines().count() > 1, sql + " returned no rows");
            assertEquals(fromH2, ok(b.run("sql", sql, "--format", "csv")), sql);
        }
        for (List<String> command : COMMANDS) {
            assertEquals(ok(a.run(command.toArray(String[]::new))), ok(b.run(command.toArray(String[]::new))), String.join(" ", command));
        }
        Path fromH2 = dir.resolve("h2.jsonl");
        Path fromPostgres = dir.resolve("postgres.jsonl");
        ok(a.run("export", "3", "--format", "jsonl", "--out", fromH2.toString()));
        ok(b.run("export", "3", "--format", "jsonl", "--out", fromPostgres.toString()));
        assertEquals(EventStoreContract.epochLines(fromH2), EventStoreContract.epochLines(fromPostgres), "the exported epochs");
        assertEquals(Files.readAllLines(fromH2).size(), Files.readAllLines(fromPostgres).size());

        // On PostgreSQL the views' run_id and epoch conditions reach the epochs' primary key: no view reads the whole table.
        try (Connection c = postgres.admin(); Statement st = c.createStatement()) {
            st.execute("SET search_path = backprop");
            for (String view : List.of("forward_values", "losses", "epoch_losses", "gradients", "weight_updates", "epoch_sheet")) {
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = st.executeQuery("EXPLAIN SELECT * FROM " + view + " WHERE run_id = 3 AND epoch BETWEEN 5 AND 9")) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                assertTrue(plan.toString().contains("Index Scan using epochs_pkey on epochs")
                        && plan.toString().contains("Index Cond: ((run_id = 3) AND (epoch >= 5) AND (epoch <= 9))")
                        && !plan.toString().contains("Seq Scan on epochs"), view + ":\n" + plan);
            }
        }
    }

    private static String ok(Cli.Result r) {
        assertEquals(0, r.exitCode(), r.out() + r.err());
        return r.out();
    }
}
