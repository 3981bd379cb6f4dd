package org.backprop.store.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.backprop.events.InvalidQueryException;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random queries over the views ({@link RandomQueries}) on a store of runs of every shape ({@link ViewFixture}),
 * each checked against the same query over the oracle's plain tables, against its rewrite that no index can serve,
 * and by ternary logic partitioning and NoREC counts. The seeds and the number of queries per seed come from
 * {@code -Dbackprop.sqlfuzz.seeds=1,2,3} and {@code -Dbackprop.sqlfuzz.queries=150} (these are the defaults that
 * {@code scripts/test} runs; {@code scripts/sql-fuzz} runs many more). A failure names the seed and the query.
 */
class ViewDifferentialTest {
    @TempDir
    static Path dir;
    static H2EventStore store;
    static Connection oracle;

    @BeforeAll
    static void record() throws SQLException {
        store = H2EventStore.open(StoreLocation.of(dir.resolve("views").toString()));
        ViewFixture.recordRuns(store);
        oracle = ViewFixture.oracle(store);
    }

    @AfterAll
    static void close() throws SQLException {
        oracle.close();
        store.close();
    }

    @TestFactory
    Stream<DynamicTest> randomQueriesAnswerWhatTheEventsSay() {
        int queries = Integer.getInteger("backprop.sqlfuzz.queries", 150);
        return Arrays.stream(System.getProperty("backprop.sqlfuzz.seeds", "1,2,3").split(","))
                .map(String::strip).map(Long::parseLong)
                .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed, queries)));
    }

    private void check(long seed, int queries) {
        RandomQueries generator = new RandomQueries(seed);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            RandomQueries.Query q = generator.next();
            String where = "seed " + seed + ", query " + i;
            long started = System.nanoTime();
            Answer engine = engine(q.sql());
            same(failures, where + ": the views against the oracle's tables", q.sql(), engine, oracle(q.sql()), q.ordered());
            if (q.unindexed() != null) {
                same(failures, where + ": against the same query with no index to serve it", q.unindexed(), engine(q.unindexed()), engine, q.ordered());
            }
            if (q.partitions() != null) {
                Answer whole = engine(q.whole());
                List<List<Object>> union = new ArrayList<>();
                String error = null;
                for (String part : q.partitions()) {
                    Answer a = engine(part);
                    if (a.error != null) {
                        error = a.error;
                    } else {
                        union.addAll(a.rows);
                    }
                }
                same(failures, where + ": the rows where p is true, false and unknown against all rows (" + q.whole() + ")",
                        String.join(" UNION ALL ", q.partitions()), new Answer(error == null ? union : null, error), whole, false);
            }
            if (q.count() != null && !q.count().contains("m.run_id")) {
                same(failures, where + ": COUNT(*) WHERE p against SUM(CASE WHEN p ...) over every row", q.count(), engine(q.count()),
                        engine(q.countUnindexed()), false);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > 1000) {
                System.out.println("slow: " + millis + " ms: " + where + ": " + q.sql());
            }
        }
        long wrong = failures.stream().map(f -> f.substring(0, f.indexOf(':'))).distinct().count();
        assertTrue(failures.isEmpty(), wrong + " of " + queries + " queries answered wrong (" + failures.size() + " checks failed), the first:\n"
                + String.join("\n\n", failures.subList(0, Math.min(8, failures.size()))));
    }

    /** Rows, or the error a query gave. */
    private record Answer(List<List<Object>> rows, String error) {
    }

    private static Answer engine(String sql) {
        try {
            return new Answer(store.query(sql).rows(), null);
        } catch (InvalidQueryException e) {
            return new Answer(null, e.getMessage());
        }
    }

    private static Answer oracle(String sql) {
        try {
            return new Answer(ViewFixture.rows(oracle, sql), null);
        } catch (SQLException e) {
            return new Answer(null, e.getMessage());
        }
    }

    private static void same(List<String> failures, String check, String sql, Answer actual, Answer expected, boolean ordered) {
        boolean bothFailed = actual.error != null && expected.error != null;
        boolean same = bothFailed || (actual.error == null && expected.error == null
                && (ordered ? actual.rows.equals(expected.rows) : sorted(actual.rows).equals(sorted(expected.rows))));
        if (!same) {
            failures.add(check + "\n  " + sql + "\n  gave     " + describe(actual) + "\n  expected " + describe(expected));
        }
    }

    private static List<String> sorted(List<List<Object>> rows) {
        return rows.stream().map(r -> r.stream().map(v -> Objects.toString(v) + "|" + (v == null ? "" : v.getClass().getSimpleName())).toList().toString())
                .sorted().toList();
    }

    private static String describe(Answer a) {
        if (a.error != null) {
            return "error: " + a.error;
        }
        String rows = a.rows.size() > 6 ? a.rows.subList(0, 6) + " ..." : a.rows.toString();
        return a.rows.size() + " rows " + rows;
    }
}
