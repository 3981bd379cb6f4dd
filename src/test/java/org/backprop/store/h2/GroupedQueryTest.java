package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.backprop.store.TempStore;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sql console runs an aggregate without lazy execution (so H2 reuses its subqueries' results) and anything else
 * lazily, whether the store is open in this process or served by another.
 */
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
        // The same store served by another process (here, a server in this one): over its connection the server is
        // asked, for a query with a subquery (the only kind it changes: an aggregate without one is computed the same
        // way, lazily or not).
        expected.put("SELECT COUNT(*) FROM run_diff(1, 2) WHERE epoch = (SELECT MAX(epoch) FROM epoch_losses)", true);
        expected.put("SELECT run_id, MAX(epoch) FROM epoch_losses GROUP BY run_id", false);
        try (StoreServer server = StoreServer.start(store.folder(), new StoreServer.Options(0, false, null, null, null), notice -> { });
                Connection remote = DriverManager.getConnection("jdbc:h2:tcp://" + H2Process.LOOPBACK + ":" + server.port() + "/store",
                        StoreAccounts.credentials(store.path(), "reader")[0], StoreAccounts.credentials(store.path(), "reader")[1])) {
            assertFalse(remote.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal, "the connection is over the network");
            for (Map.Entry<String, Boolean> q : expected.entrySet()) {
                assertEquals(q.getValue(), GroupedQuery.is(remote, q.getKey()), "through the server: " + q.getKey());
            }
        }
    }
}
