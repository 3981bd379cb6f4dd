package org.backprop.store.sql;

import java.util.List;
import java.util.Locale;
import org.h2.api.TableEngine;
import org.h2.command.ddl.CreateTableData;
import org.h2.table.Table;

/**
 * The H2 table engine behind the public views and {@code runs}: {@code CREATE TABLE ... ENGINE "...ViewTableEngine"
 * WITH "gradients"} makes a read-only table whose rows are derived from the event tables on demand, with conditions
 * on its key columns used to read only the stored rows and values they select.
 */
public final class ViewTableEngine implements TableEngine {
    @Override
    public Table createTable(CreateTableData data) {
        List<String> params = data.tableEngineParams;
        if (params == null || params.size() != 1) {
            throw new IllegalArgumentException("a view table names its view: WITH \"gradients\" or another of " + List.of(ViewKind.values())
                    + ", or \"runs\"");
        }
        String view = params.get(0).toUpperCase(Locale.ROOT);
        return view.equals("RUNS") ? new RunsTable(data) : new ViewTable(data, ViewKind.valueOf(view));
    }
}
