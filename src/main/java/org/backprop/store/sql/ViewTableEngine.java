package org.backprop.store.sql;

import java.util.List;
import java.util.Locale;
import org.h2.api.TableEngine;
import org.h2.command.ddl.CreateTableData;
import org.h2.table.Table;

/**
 * The H2 table engine behind the public views: {@code CREATE TABLE ... ENGINE "...ViewTableEngine" WITH "gradients"}
 * makes a read-only table whose rows are unpacked from the stored epochs on demand, with conditions on
 * {@code run_id} and {@code epoch} used to read only the stored rows they select.
 */
public final class ViewTableEngine implements TableEngine {
    @Override
    public Table createTable(CreateTableData data) {
        List<String> params = data.tableEngineParams;
        if (params == null || params.size() != 1) {
            throw new IllegalArgumentException("a view table names its view: WITH \"gradients\" or another of " + List.of(ViewKind.values()));
        }
        return new ViewTable(data, ViewKind.valueOf(params.get(0).toUpperCase(Locale.ROOT)));
    }
}
