package org.backprop.store;

import org.backprop.events.InvalidQueryException;

/** The text of a query for a store's SQL console, checked the same for every adapter: one statement, not empty. */
public final class SqlText {
    private SqlText() {
    }

    /**
     * The query without its trailing semicolons; an empty text and a text of more than one statement are
     * {@link InvalidQueryException}s, refused before they reach the database.
     */
    public static String oneQuery(String sql) {
        String trimmed = sql.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        if (trimmed.isEmpty()) {
            throw new InvalidQueryException("the query is empty: give one SELECT statement, such as \"SELECT * FROM runs\"");
        }
        int second = secondStatement(trimmed);
        if (second >= 0) {
            throw new InvalidQueryException("give one query: the text holds another statement after the ';' at character " + second
                    + " (the database would run them all but show only the first): run them one at a time");
        }
        return trimmed;
    }

    /**
     * Where a statement separator with more SQL after it stands, outside quotes and comments (1-based), or -1: the text
     * is one statement.
     */
    public static int secondStatement(String sql) {
        int n = sql.length();
        int separator = -1;
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"') {
                end = sql.indexOf(c, i + 1);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                end = sql.indexOf('\n', i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                end = sql.indexOf("*/", i + 2);
                end = end < 0 ? -1 : end + 1;
            } else if (c == '$' && i + 1 < n && sql.charAt(i + 1) == '$') {
                end = sql.indexOf("$$", i + 2);
                end = end < 0 ? -1 : end + 1;
            } else {
                if (c == ';') {
                    separator = i;
                } else if (!Character.isWhitespace(c) && separator >= 0) {
                    return separator + 1;
                }
                continue;
            }
            if (separator >= 0 && (c == '\'' || c == '"' || c == '$')) {
                return separator + 1;
            }
            if (end < 0) {
                return -1;
            }
            i = end;
        }
        return -1;
    }
}
