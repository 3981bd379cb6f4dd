package org.backprop.store.h2;

import java.sql.SQLException;
import org.backprop.events.StoreException;
import org.h2.api.ErrorCode;

/** What H2's errors mean for the store: a connection that broke, a key already taken, a message fit for one line. */
final class H2Errors {
    private H2Errors() {
    }

    /**
     * True for the errors of a connection that broke or a database that closed under it, and for those of reopening
     * it while another process takes the store over (not for bad SQL or data).
     */
    static boolean isConnectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isSessionClosedByServer(t)) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = String.valueOf(sql.getSQLState());
                int code = sql.getErrorCode();
                if (state.startsWith("08") || code == ErrorCode.CONNECTION_BROKEN_1 || code == ErrorCode.DATABASE_IS_CLOSED
                        || code == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN || code == ErrorCode.OBJECT_CLOSED
                        || code == ErrorCode.DATABASE_IS_IN_EXCLUSIVE_MODE || code == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    return true;
                }
            }
            for (Throwable s : t.getSuppressed()) {
                if (isConnectionLost(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * H2 2.3.232's client forgets its connection when the server answers that the session was closed (the process
     * serving the store shut the database down), and its next call on it fails with a NullPointerException inside
     * {@code SessionRemote}, wrapped as a general error (seen once in eight runs of the shared-store test).
     */
    private static boolean isSessionClosedByServer(Throwable t) {
        StackTraceElement[] at = t.getStackTrace();
        return t instanceof NullPointerException && at.length > 0 && "org.h2.engine.SessionRemote".equals(at[0].getClassName());
    }

    static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Waits a moment before trying a store again that was passing from one process to another. */
    static void pause(SQLException e) {
        try {
            Thread.sleep(250);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store: " + firstLine(e.getMessage()), e);
        }
    }

    /** The first line of H2's message, without its error code and statement. */
    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.replaceAll(" \\[[0-9-]+\\]$", "").replaceAll("; SQL statement:$", "");
    }
}
