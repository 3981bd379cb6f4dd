package org.backprop.store.postgres;

import java.sql.SQLException;
import org.backprop.events.StoreException;
import org.backprop.events.StoreFaultException;
import org.backprop.events.StoreLostException;

/** What PostgreSQL's errors mean for a store: a connection gone, a refusal by the store's own rules, a fault of the server's disk. */
final class PostgresErrors {
    /** The store's triggers refuse epochs that do not follow on, or do not fit the run (see db/postgresql). */
    static final String NOT_IN_ORDER = "ZB002";
    /** ... epochs or an end for a run that has ended. */
    static final String RUN_ENDED = "ZB001";
    /** ... an append from a session that does not hold the run's lease. */
    static final String NOT_LEASE_HOLDER = "ZB003";
    /** ... any change to what was recorded. */
    static final String APPEND_ONLY = "ZB004";

    private PostgresErrors() {
    }

    /** The SQL state of the first SQL error in the cause chain, or "". */
    static String state(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }

    /** The connection broke, or the server went away or is shutting down (class 08, 57P01..57P03). */
    static boolean isConnectionLost(Throwable e) {
        String state = state(e);
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }

    static boolean isDuplicateKey(Throwable e) {
        return "23505".equals(state(e));
    }

    /** What failed under the store when the server's disk is full or failing, or its files are corrupt; null otherwise. */
    static StoreFaultException faultOf(Throwable e, String where, String then) {
        String state = state(e);
        StoreFaultException.Kind kind = state.equals("53100") ? StoreFaultException.Kind.DISK_FULL
                : state.startsWith("58") ? StoreFaultException.Kind.IO_ERROR
                : state.equals("XX001") || state.equals("XX002") ? StoreFaultException.Kind.CORRUPT : null;
        if (kind == null) {
            return null;
        }
        String detail = firstLine(e);
        return new StoreFaultException(kind, switch (kind) {
            case DISK_FULL -> "the database server of " + where + " has no space left (" + detail + "): free space there, then " + then;
            case IO_ERROR -> "the database server of " + where + " could not read or write its files (" + detail + "): check its disk, then " + then;
            case CORRUPT -> "the database of " + where + " is corrupt (" + detail + "): restore it from a backup ('backprop verify --db COPY'"
                    + " says whether a copy is whole)";
        }, e);
    }

    /** The server's message without PostgreSQL's "ERROR: " and its detail lines. */
    static String firstLine(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null && message == null; t = t.getCause()) {
            if (t instanceof SQLException) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            message = String.valueOf(e.getMessage());
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.replaceFirst("^(ERROR|FATAL): ", "").replaceFirst("^backprop: ", "").strip();
    }

    /**
     * A failure that is none of the store's own rules, said as the server said it with the store named: a fault of the
     * server's disk, a connection that broke (both exit 1), or what the server refused (a missing right, say).
     */
    static RuntimeException unexpected(String where, String doing, SQLException e) {
        StoreFaultException fault = faultOf(e, where, "run the command again");
        if (fault != null) {
            return fault;
        }
        if (isConnectionLost(e)) {
            return new StoreLostException("the connection to the store " + where + " broke while " + doing + " (" + firstLine(e)
                    + "): check that its server is running and reachable, then run the command again", e);
        }
        if ("42501".equals(e.getSQLState())) {
            return new StoreException("the store " + where + " refused " + doing + ": " + firstLine(e) + " (its roles are backprop_app,"
                    + " which records, and backprop_reader, which reads: see the README's Team store)", e);
        }
        return new StoreException("the store " + where + " failed while " + doing + ": " + firstLine(e), e);
    }
}
