package org.backprop.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The query shapes of the SQL issue, each with its exact rows, on the store it was seen on (run 1 'seed' of 100
 * epochs, run 2 'long' of 20,000; see {@link IssueStore}). The values are the tutorial's (the README shows them)
 * and the long run's last loss as {@code train} printed it.
 */
class ViewQueryCasesTest {
    @RegisterExtension
    static final IssueStore ISSUE = new IssueStore();

    private static Arguments c(String sql, Object[]... rows) {
        return Arguments.of(sql, Arrays.stream(rows).map(Arrays::asList).toList());
    }

    private static Object[] r(Object... values) {
        return values;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // The issue's wrong answers: descending scans answered as if ascending.
                c("SELECT epoch FROM epoch_losses WHERE run_id = 2 AND epoch > 19990 ORDER BY run_id DESC, epoch DESC",
                        r(19999), r(19998), r(19997), r(19996), r(19995), r(19994), r(19993), r(19992), r(19991)),
                c("SELECT run_id, epoch FROM epoch_losses ORDER BY run_id DESC, epoch DESC LIMIT 3", r(2L, 19999), r(2L, 19998), r(2L, 19997)),
                c("SELECT run_id, epoch FROM epoch_losses ORDER BY run_id DESC, epoch LIMIT 3", r(2L, 0), r(2L, 1), r(2L, 2)),
                c("SELECT run_id, epoch FROM epoch_losses ORDER BY run_id, epoch DESC LIMIT 2", r(1L, 99), r(1L, 98)),
                c("SELECT epoch, total_error FROM epoch_losses WHERE run_id = 2 ORDER BY epoch DESC FETCH FIRST 1 ROW ONLY",
                        r(19999, 1.232595164407831E-32)),
                c("SELECT epoch FROM epoch_losses WHERE run_id = 1 ORDER BY epoch DESC OFFSET 98 ROWS FETCH FIRST 5 ROWS ONLY", r(1), r(0)),
                c("SELECT run_id, epoch FROM epoch_losses WHERE epoch < 2 ORDER BY run_id DESC, epoch DESC", r(2L, 1), r(2L, 0), r(1L, 1), r(1L, 0)),
                // Ranges and holes.
                c("SELECT epoch, total_error FROM epoch_losses WHERE run_id = 1 AND epoch BETWEEN 1 AND 2 ORDER BY epoch DESC",
                        r(2, 0.01401923812818108), r(1, 0.014100103121132097)),
                c("SELECT epoch FROM epoch_losses WHERE run_id = 1 AND epoch <> 0 AND epoch < 3 ORDER BY epoch", r(1), r(2)),
                c("SELECT epoch FROM epoch_losses WHERE run_id = 1 AND NOT (epoch >= 2) ORDER BY 1", r(0), r(1)),
                c("SELECT epoch FROM epoch_losses WHERE run_id = 1 AND epoch NOT BETWEEN 1 AND 98 ORDER BY 1", r(0), r(99)),
                c("SELECT epoch FROM epoch_losses WHERE run_id = 1 AND epoch > 2.5 AND epoch <= 4.9 ORDER BY 1", r(3), r(4)),
                c("SELECT COUNT(*) FROM epoch_losses WHERE run_id = 2 AND epoch < 1e300", r(20000L)),
                // OR and IN over runs and epochs.
                c("SELECT run_id, epoch FROM epoch_losses WHERE (run_id = 1 AND epoch = 99) OR (run_id = 2 AND epoch = 0) ORDER BY run_id",
                        r(1L, 99), r(2L, 0)),
                c("SELECT run_id, epoch FROM epoch_losses WHERE run_id IN (2, 1) AND epoch IN (0, 99) ORDER BY run_id DESC, epoch DESC",
                        r(2L, 99), r(2L, 0), r(1L, 99), r(1L, 0)),
                c("SELECT COUNT(*) FROM epoch_losses WHERE run_id = 1 OR run_id = 2", r(20100L)),
                c("SELECT run_id, epoch FROM epoch_losses WHERE run_id IN (1, 2) ORDER BY run_id DESC, epoch OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY",
                        r(2L, 1), r(2L, 2)),
                c("SELECT weight, gradient FROM gradients WHERE run_id = 1 AND epoch = 0 AND weight IN ('w5', 'w1') ORDER BY weight DESC",
                        r("w5", 0.01288081863162825), r("w1", 3.169933959102902E-4)),
                // IS NULL and empty ranges.
                c("SELECT COUNT(*) FROM epoch_losses WHERE run_id IS NULL", r(0L)),
                c("SELECT COUNT(*) FROM epoch_losses WHERE run_id = 1 AND epoch IS NOT NULL", r(100L)),
                c("SELECT COUNT(*) FROM forward_values WHERE run_id = 1 AND net_input IS NULL", r(200L)),
                c("SELECT COUNT(*) FROM epoch_losses WHERE run_id = 1 AND epoch > 5 AND epoch < 5", r(0L)),
                c("SELECT epoch FROM epoch_losses WHERE run_id = 1 AND epoch BETWEEN 10 AND 1"),
                c("SELECT epoch FROM epoch_losses WHERE run_id = 3"),
                c("SELECT epoch FROM epoch_losses WHERE run_id = 1 AND epoch = NULL"),
                c("SELECT COUNT(*) FROM gradients WHERE run_id = 1 AND weight = 'w9'", r(0L)),
                // One weight's history, and the other views' rows of one epoch.
                c("SELECT COUNT(*), MIN(epoch), MAX(epoch) FROM gradients WHERE run_id = 2 AND weight = 'w5'", r(20000L, 0, 19999)),
                c("SELECT weight, before, after FROM weight_updates WHERE run_id = 1 AND epoch = 0 AND weight = 'w8'", r("w8", 0.55, 0.5484477691880005)),
                c("SELECT layer, neuron, net_input, activation FROM forward_values WHERE run_id = 1 AND epoch = 0 AND layer = 1 ORDER BY neuron DESC",
                        r(1, 2, 0.042499999999999996, 0.5106234010049637), r(1, 1, 0.027500000000000004, 0.5068745667645342)),
                c("SELECT output, actual FROM losses WHERE run_id = 1 AND epoch = 0 AND sample = 1 ORDER BY output DESC",
                        r(2, 0.6304808354506348), r(1, 0.606477732206728)),
                c("SELECT epoch, e_tot, de_dw1 FROM epoch_sheet WHERE run_id = 1 AND epoch < 3 ORDER BY epoch DESC",
                        r(2, 0.01401923812818108, 3.134249385272581E-4), r(1, 0.014100103121132097, 3.152050379066778E-4),
                        r(0, 0.014181377937891659, 3.169933959102902E-4)),
                // Joins between views and with runs, subqueries, windows, unions.
                c("SELECT g.weight, u.delta FROM gradients g JOIN weight_updates u ON u.run_id = g.run_id AND u.epoch = g.epoch AND u.weight = g.weight"
                        + " WHERE g.run_id = 1 AND g.epoch = 0 AND g.weight = 'w1'", r("w1", -3.169933959102902E-5)),
                c("SELECT r.name, l.total_error FROM runs r JOIN epoch_losses l ON l.run_id = r.run_id WHERE l.epoch = 0 ORDER BY r.run_id",
                        r("seed", 0.014181377937891659), r("long", 0.014181377937891659)),
                c("SELECT l.epoch FROM epoch_losses l JOIN runs r ON r.run_id = l.run_id WHERE r.name = 'long' AND l.epoch >= 19998 ORDER BY l.epoch DESC",
                        r(19999), r(19998)),
                c("SELECT r.name, (SELECT MAX(epoch) FROM epoch_losses l WHERE l.run_id = r.run_id) FROM runs r ORDER BY r.run_id",
                        r("seed", 99), r("long", 19999)),
                c("SELECT COUNT(*) FROM epoch_losses WHERE run_id IN (SELECT run_id FROM runs WHERE name = 'seed')", r(100L)),
                c("SELECT COUNT(*) FROM epoch_losses WHERE run_id = (SELECT run_id FROM runs WHERE name = 'long') AND epoch >= 19000", r(1000L)),
                c("SELECT epoch FROM epoch_losses l WHERE run_id = 1 AND epoch = (SELECT MAX(epoch) FROM epoch_losses m WHERE m.run_id = l.run_id)", r(99)),
                c("SELECT epoch, ROW_NUMBER() OVER (ORDER BY epoch DESC) FROM epoch_losses WHERE run_id = 1 AND epoch < 3 ORDER BY epoch",
                        r(0, 3L), r(1, 2L), r(2, 1L)),
                c("SELECT epoch FROM epoch_losses WHERE run_id = 1 AND epoch = 0 UNION SELECT epoch FROM epoch_losses WHERE run_id = 2 AND epoch = 19999"
                        + " ORDER BY 1 DESC", r(19999), r(0)),
                c("SELECT run_id, COUNT(*) FROM epoch_losses GROUP BY run_id ORDER BY run_id DESC", r(2L, 20000L), r(1L, 100L)),
                c("SELECT MAX(epoch), MIN(epoch) FROM epoch_losses WHERE run_id = 2", r(19999, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyShapeGivesExactlyItsRows(String sql, List<List<Object>> expected) {
        assertEquals(expected, ISSUE.store().query(sql).rows(), sql);
    }

    @Test
    void aRunNamedInASubqueryOrAJoinGivesTheSameAggregateAsItsId() {
        List<List<Object>> literal = ISSUE.store().query("SELECT COUNT(*), SUM(gradient) FROM gradients WHERE run_id = 2").rows();
        assertEquals(160_000L, literal.get(0).get(0));
        assertEquals(literal, ISSUE.store().query("SELECT COUNT(*), SUM(gradient) FROM gradients WHERE run_id = (SELECT run_id FROM runs WHERE name = 'long')").rows());
        assertEquals(literal, ISSUE.store().query("SELECT COUNT(*), SUM(gradient) FROM gradients g JOIN runs r ON r.run_id = g.run_id WHERE r.name = 'long'").rows());
        assertEquals(literal, ISSUE.store().query("SELECT COUNT(*), SUM(gradient) FROM gradients WHERE run_id IN (SELECT run_id FROM runs WHERE name = 'long')").rows());
    }
}
