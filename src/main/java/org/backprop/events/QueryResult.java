package org.backprop.events;

import java.util.List;

/** The columns and rows a read-only query returned, each value as JDBC gave it. */
public record QueryResult(List<String> columns, List<List<Object>> rows) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
