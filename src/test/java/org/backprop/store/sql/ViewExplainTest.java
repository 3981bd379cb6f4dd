package org.backprop.store.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.backprop.store.h2.H2EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * EXPLAIN names the index a view query uses and the conditions it passes to it as bounds, so a user can see why a
 * query is fast or slow; and the bounds from subqueries and joins reach the index instead of a scan.
 */
class ViewExplainTest {
    @RegisterExtension
    static final IssueStore ISSUE = new IssueStore();

    private static String plan(String sql) {
        return ((String) ISSUE.store().query("EXPLAIN " + sql).rows().get(0).get(0)).replaceAll("\\s+", " ");
    }

    private static void assertPlan(String sql, String... parts) {
        String plan = plan(sql);
        for (String part : parts) {
            assertTrue(plan.contains(part), "the plan of " + sql + " shows " + part + ":\n" + plan);
        }
    }

    /** The plan reads with {@code index}, and passes it these conditions (in H2's order, whichever that is). */
    private static void assertIndex(String sql, String index, String... bounds) {
        String plan = plan(sql);
        int at = plan.indexOf("/* PUBLIC." + index + ": ");
        assertTrue(at >= 0, "the plan of " + sql + " reads with " + index + ":\n" + plan);
        String conditions = plan.substring(at, plan.indexOf("*/", at));
        for (String bound : bounds) {
            assertTrue(conditions.contains(bound), "the plan of " + sql + " passes " + index + " the bound " + bound + ":\n" + plan);
        }
    }

    @Test
    void aRangeOfOneRunIsReadThroughTheRunAndEpochIndexBackwardsForADescendingOrder() {
        assertPlan("SELECT epoch FROM epoch_losses WHERE run_id = 2 AND epoch > 19990 ORDER BY run_id DESC, epoch DESC",
                "/* PUBLIC.EPOCH_LOSSES_BY_RUN_AND_EPOCH: RUN_ID = CAST(2 AS BIGINT) AND EPOCH > 19990 */", "/* index sorted */");
    }

    @Test
    void aRunIdFromAScalarSubqueryOrAnInListOfOneIsABoundOfTheIndex() {
        assertPlan("SELECT COUNT(*) FROM gradients WHERE run_id = (SELECT run_id FROM runs WHERE name = 'long')",
                "/* PUBLIC.GRADIENTS_BY_RUN_AND_EPOCH: RUN_ID = (SELECT RUN_ID FROM PUBLIC.RUNS");
        assertPlan("SELECT COUNT(*) FROM epoch_losses WHERE run_id IN (SELECT run_id FROM runs WHERE status = 'completed')",
                "/* PUBLIC.EPOCH_LOSSES_BY_RUN_AND_EPOCH: RUN_ID IN(SELECT DISTINCT RUN_ID FROM PUBLIC.RUNS");
    }

    @Test
    void aJoinOnARunsNameReadsRunsFirstAndLooksEachRunUpInTheView() {
        assertPlan("SELECT COUNT(*), SUM(gradient) FROM gradients g JOIN runs r ON r.run_id = g.run_id WHERE r.name = 'long'",
                "FROM \"PUBLIC\".\"RUNS\" \"R\" /* PUBLIC.RUNS.tableScan */",
                "INNER JOIN \"PUBLIC\".\"GRADIENTS\" \"G\" /* PUBLIC.GRADIENTS_BY_RUN_AND_EPOCH: RUN_ID = R.RUN_ID */");
    }

    @Test
    void epochsFromAnotherViewAreLookedUpByRunAndEpoch() {
        assertPlan("SELECT g.weight, l.total_error FROM epoch_losses l JOIN gradients g ON g.run_id = l.run_id AND g.epoch = l.epoch"
                        + " WHERE l.run_id = 1 AND l.total_error < 0.01",
                "FROM \"PUBLIC\".\"EPOCH_LOSSES\" \"L\" /* PUBLIC.EPOCH_LOSSES_BY_RUN_AND_EPOCH: RUN_ID = CAST(1 AS BIGINT) */",
                "INNER JOIN \"PUBLIC\".\"GRADIENTS\" \"G\" /* PUBLIC.GRADIENTS_BY_RUN_AND_EPOCH: RUN_ID = L.RUN_ID AND EPOCH = L.EPOCH */");
    }

    @Test
    void aConditionOnAWeightReadsOnlyThatWeightsValuesThroughTheKeyIndex() {
        assertIndex("SELECT epoch, gradient FROM gradients WHERE run_id = 2 AND weight = 'w5'", "GRADIENTS_BY_RUN_EPOCH_AND_WEIGHT",
                "RUN_ID = CAST(2 AS BIGINT)", "WEIGHT = 'w5'");
        assertIndex("SELECT before FROM weight_updates WHERE weight = 'w1' AND run_id = (SELECT run_id FROM runs WHERE name = 'seed')",
                "WEIGHT_UPDATES_BY_RUN_EPOCH_AND_WEIGHT", "WEIGHT = 'w1'", "RUN_ID = (SELECT RUN_ID FROM PUBLIC.RUNS");
        assertIndex("SELECT activation FROM forward_values WHERE run_id = 1 AND layer = 2 AND neuron = 1", "FORWARD_VALUES_BY_RUN_EPOCH_AND_NEURON",
                "RUN_ID = CAST(1 AS BIGINT)", "LAYER = 2", "NEURON = 1");
        assertIndex("SELECT actual FROM losses WHERE run_id = 1 AND epoch < 10 AND output = 2", "LOSSES_BY_RUN_EPOCH_AND_OUTPUT",
                "RUN_ID = CAST(1 AS BIGINT)", "EPOCH < 10", "OUTPUT = 2");
        // EXPLAIN ANALYZE counts the rows the index handed over: one per epoch, not the eight weights of each.
        assertPlan("EXPLAIN ANALYZE SELECT COUNT(*) FROM gradients WHERE run_id = 2 AND weight = 'w5'".substring("EXPLAIN ".length()),
                "/* scanCount: 20001 */");
    }

    @Test
    void inAStoreOfOneRunTheBoundsStillReachTheIndexThatServesTheOrder(@TempDir Path one) {
        // With one run, an equality on run_id selects every row: were the scan priced as low as the index, H2 would
        // drop the bounds with the scan's plan and then swap the sorted index in for the ORDER BY, reading unbounded.
        try (H2EventStore single = H2EventStore.open(org.backprop.store.StoreLocation.of(one.resolve("one").toString()))) {
            new org.backprop.training.Trainer(single).train(org.backprop.model.RunConfig.seed(), org.backprop.training.TrainingProgress.NONE);
            String plan = ((String) single.query("EXPLAIN ANALYZE SELECT epoch FROM epoch_losses WHERE run_id = 1 ORDER BY run_id DESC, epoch DESC LIMIT 3")
                    .rows().get(0).get(0)).replaceAll("\\s+", " ");
            assertTrue(plan.contains("/* PUBLIC.EPOCH_LOSSES_BY_RUN_AND_EPOCH: RUN_ID = CAST(1 AS BIGINT) */ /* scanCount: 3 */"), plan);
            String join = ((String) single.query("EXPLAIN SELECT g.gradient FROM gradients g JOIN runs r ON r.run_id = g.run_id WHERE r.name = 'seed'"
                    + " AND g.weight = 'w5'").rows().get(0).get(0)).replaceAll("\\s+", " ");
            assertTrue(join.contains("FROM \"PUBLIC\".\"RUNS\" \"R\""), "runs outside: " + join);
        }
    }

    @Test
    void aQueryWithNoConditionTheIndexCanUseSaysItScansTheTable() {
        assertPlan("SELECT COUNT(*) FROM epoch_losses WHERE total_error < 0.01", "/* PUBLIC.EPOCH_LOSSES.tableScan */");
    }
}
