package org.backprop.store.h2;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.SqlParser;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Finds {@code :name} and {@code ?} parameters in the store's own SQL. Jdbi's default parser builds an ANTLR lexer,
 * which costs a fifth of a second at start-up; the store's statements need nothing beyond quotes and comments.
 */
final class NamedParameters implements SqlParser {
    private final Map<String, ParsedSql> parsed = new ConcurrentHashMap<>();

    @Override
    public ParsedSql parse(String sql, StatementContext ctx) {
        return parsed.computeIfAbsent(sql, NamedParameters::scan);
    }

    @Override
    public String nameParameter(String rawName, StatementContext ctx) {
        return ":" + rawName;
    }

    static ParsedSql scan(String sql) {
        ParsedSql.Builder b = ParsedSql.builder();
        StringBuilder text = new StringBuilder(sql.length());
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                end = end < 0 ? n - 1 : end;
                text.append(sql, i, end + 1);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n - 1 : end;
                text.append(sql, i, end + 1);
                i = end;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                text.append("::");
                i++;
            } else if (c == ':' && i + 1 < n && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                b.append(text.toString());
                text.setLength(0);
                b.appendNamedParameter(sql.substring(i + 1, end));
                i = end - 1;
            } else if (c == '?') {
                b.append(text.toString());
                text.setLength(0);
                b.appendPositionalParameter();
            } else {
                text.append(c);
            }
        }
        return b.append(text.toString()).build();
    }
}
