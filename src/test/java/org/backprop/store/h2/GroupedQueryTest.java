package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.backprop.store.TempStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sql console runs an aggregate without lazy execution (so H2 reuses its subqueries' results) and anything else lazily. */
class GroupedQueryTest {
    @RegisterExtension
    final TempStore store = new TempStore();

    @Test
    void onlyAQueryWhoseOutermostSelectAggregatesOrGroupsIsGrouped() throws Exception {
        store.open().close();
        Map<String, Boolean> expected = new LinkedHashMap<>();
        expected.put("SELECT COUNT(*), SUM(gradient) FROM gradients WHERE run_id = (SELECT run_id FROM runs WHERE name = 'wide')", true);
        expected.put("SELECT run_id, MAX(epoch) FROM epoch_losses GROUP BY run_id", true);
        expected.put("SELECT epoch, gradient FROM gradients WHERE run_id = (SELECT MAX(run_id) FROM runs)", false);
        expected.put("SELECT epoch, SUM(gradient) OVER (ORDER BY epoch) FROM gradients WHERE run_id = 1", false);
        expected.put("SELECT epoch FROM epoch_losses UNION SELECT COUNT(*) FROM runs", false);
        expected.put("SELECT FROM WHERE", false);
        try (Connection reader = StoreAccounts.reader(store.path())) {
            for (Map.Entry<String, Boolean> q : expected.entrySet()) {
                assertEquals(q.getValue(), GroupedQuery.is(reader, q.getKey()), q.getKey());
            }
        }
    }
}
