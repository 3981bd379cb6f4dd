package org.backprop.store.h2;

import java.sql.SQLException;
import org.backprop.events.StoreException;
import org.backprop.events.StoreFaultException;
import org.h2.api.ErrorCode;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/** What H2's errors mean for the store: a connection that broke, a key already taken, a message fit for one line. */
final class H2Errors {
    private H2Errors() {
    }

    /**
     * True for the errors of a connection that broke or a database that closed under it, and for those of reopening
     * it while another process takes the store over (not for bad SQL or data).
     */
    static boolean isConnectionLost(Throwable e) {
        if (fault(e) != null) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isSessionClosedByServer(t) || isStoreClosingUnderQuery(t)) {
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
     * What failed under the store when an error comes from the disk or the file rather than from a connection: the
     * device is full, an I/O operation failed, or the file is corrupt; null for any other error. H2 closes a database
     * whose file failed, so the errors that follow say only "closed": the cause chain still holds the first one.
     */
    static StoreFaultException.Kind fault(Throwable e) {
        StoreFaultException.Kind found = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreFaultException f) {
                return f.kind();
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
                return StoreFaultException.Kind.DISK_FULL;
            }
            // Only errors of the file itself: a broken connection's cause is an IOException too (EOF, socket).
            if (t instanceof SQLException sql && sql.getErrorCode() == ErrorCode.FILE_CORRUPTED_1
                    || t instanceof MVStoreException m && (m.getErrorCode() == DataUtils.ERROR_FILE_CORRUPT
                    || m.getErrorCode() == DataUtils.ERROR_CHUNK_NOT_FOUND)) {
                found = StoreFaultException.Kind.CORRUPT;
            } else if (found == null && (t instanceof SQLException sql && (sql.getErrorCode() == ErrorCode.IO_EXCEPTION_1
                    || sql.getErrorCode() == ErrorCode.IO_EXCEPTION_2)
                    || t instanceof MVStoreException m && (m.getErrorCode() == DataUtils.ERROR_WRITING_FAILED
                    || m.getErrorCode() == DataUtils.ERROR_READING_FAILED))) {
                found = StoreFaultException.Kind.IO_ERROR;
            }
            for (Throwable s : t.getSuppressed()) {
                StoreFaultException.Kind k = fault(s);
                if (k != null) {
                    return k;
                }
            }
        }
        return found;
    }

    /**
     * The fault in {@code e}, said for a person: what failed under the store {@code where}, and {@code then}, what to do
     * once it is mended (such as "'backprop resume 3'"); null when {@code e} is no fault of the disk or file.
     */
    static StoreFaultException faultOf(Throwable e, String where, String then) {
        StoreFaultException.Kind kind = fault(e);
        if (kind == null) {
            return null;
        }
        if (e instanceof StoreFaultException f) {
            return f;
        }
        String detail = deepest(e);
        return new StoreFaultException(kind, switch (kind) {
            case DISK_FULL -> "no space left on the device of " + where + ": free space, then " + then;
            case IO_ERROR -> "the store " + where + " could not be written or read (" + detail + "): check the disk, then " + then;
            case CORRUPT -> "the store " + where + " is corrupt (" + detail + "): it cannot be read as it is; restore it from a copy"
                    + " ('backprop verify --db COPY' says whether a copy is whole)";
        }, e);
    }

    private static String deepest(Throwable e) {
        Throwable last = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            last = t;
        }
        return firstLine(last.getMessage());
    }

    /**
     * H2 2.3.232's client forgets its connection when the server answers that the session was closed (the process
     * serving the store shut the database down), and its next call on it fails with a NullPointerException inside
     * {@code SessionRemote}, wrapped as a general error (seen once in eight runs of the shared-store test).
     */
    /**
     * A query that the serving process's database closed under as it shut down: H2 sends it as a general error whose
     * text names the MVStore's "closed" error ({@code [2.3.232/4]}, "Transaction 1 is closed"), with no cause across
     * the network. It is a connection lost, not a fault of the store.
     */
    private static boolean isStoreClosingUnderQuery(Throwable t) {
        if (t instanceof org.h2.mvstore.MVStoreException m) {
            return m.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_CLOSED;
        }
        return t instanceof SQLException sql && sql.getErrorCode() == ErrorCode.GENERAL_ERROR_1 && sql.getMessage() != null
                && STORE_CLOSED.matcher(sql.getMessage()).find();
    }

    private static final java.util.regex.Pattern STORE_CLOSED = java.util.regex.Pattern.compile("MVStoreException: [^\\n]*\\[[0-9.]+/"
            + org.h2.mvstore.DataUtils.ERROR_CLOSED + "]");

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
