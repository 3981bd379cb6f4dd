package org.backprop.store.sql;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.backprop.store.h2.StoredEpochs;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.message.DbException;
import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.table.Table;
import org.h2.value.Value;
import org.h2.value.ValueBigint;
import org.h2.value.ValueInteger;

/**
 * One run's stored rows of epochs, walked through the primary key of {@code epoch_blocks} forwards or backwards
 * (one index cursor for the whole walk), each row's bytes read only when a value in them is asked for: its head
 * from {@code epoch_blocks}, every further part from {@code epoch_parts} on its own. Reading one weight of a wide run's
 * epoch thus reads the one part that holds it.
 */
final class StoredRows {
    private static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private final SessionLocal session;
    private final long runId;
    private final int epochBytes;
    private final Table blocks;
    private final Index byFirstEpoch;
    private final Index byLastEpoch;
    private final int[] runAndFirst;
    private final int[] runAndLast;
    private final int lastColumn;
    private final int payloadColumn;
    private final long version;
    private Table parts;
    private Index partKey;
    private int[] partColumns;
    private int partPayloadColumn;
    // The row last handed out, with what was read of it: a join looks the same epoch up once for every row of the
    // other side, and each lookup would read the same head and parts again.
    private StoredRow last;

    StoredRows(SessionLocal session, long runId, int epochBytes) {
        this.session = session;
        this.runId = runId;
        this.epochBytes = epochBytes;
        this.blocks = EventTables.table(session, EventTables.EPOCH_BLOCKS);
        this.byFirstEpoch = EventTables.index(blocks, "RUN_ID", "FIRST_EPOCH");
        this.byLastEpoch = EventTables.index(blocks, "RUN_ID", "LAST_EPOCH");
        this.runAndFirst = new int[] {EventTables.column(blocks, "RUN_ID"), EventTables.column(blocks, "FIRST_EPOCH")};
        this.lastColumn = EventTables.column(blocks, "LAST_EPOCH");
        this.runAndLast = new int[] {runAndFirst[0], lastColumn};
        this.payloadColumn = EventTables.column(blocks, "PAYLOAD");
        this.version = storedVersion();
    }

    private long storedVersion() {
        Table p = EventTables.table(session, EventTables.EPOCH_PARTS);
        return Math.max(blocks.getMaxDataModificationId(), p.getMaxDataModificationId());
    }

    /** Whether this reader may serve another walk of the same run in {@code s}: same session, no stored row changed. */
    boolean reusableFor(SessionLocal s, long run) {
        return s == session && run == runId && blocks.isValid() && !s.isClosed() && storedVersion() == version;
    }

    /**
     * The rows holding any of the epochs {@code from..to} (both at least 0), in order of first epoch, or in reverse:
     * the row that holds {@code from} though it starts before it, and every row that starts within the range.
     */
    Walk walk(int from, int to, boolean reverse) {
        return new Walk(from, to, reverse);
    }

    /**
     * A walk over the stored rows; {@link #next} hands them out one at a time. A row's last epoch comes from the index
     * on (run_id, last_epoch), walked beside the primary key's: in a whole store the two list the rows in the same
     * order, so a row's bytes are read only when a value in them is. Where the two disagree (rows added or removed
     * behind the application's back) the row itself says.
     */
    final class Walk {
        private final int to;
        private final boolean reverse;
        private final StoredRow holding;
        private final Cursor cursor;
        private boolean holdingDone;
        private Cursor lasts;
        private boolean lastsAgree = true;
        private StoredRow previous;

        private Walk(int from, int to, boolean reverse) {
            this.to = to;
            this.reverse = reverse;
            StoredRow before = lastStartingAtOrBefore(from);
            this.holding = before != null && before.last >= from ? before : null;
            long start = holding != null && holding.first == from ? from + 1L : from;
            if (start > to) {
                cursor = null;
            } else {
                SearchRow lower = EventTables.searchRow(blocks, runAndFirst, ValueBigint.get(runId), ValueInteger.get((int) start));
                SearchRow upper = EventTables.searchRow(blocks, runAndFirst, ValueBigint.get(runId), ValueInteger.get(to));
                cursor = reverse ? byFirstEpoch.find(session, upper, lower, true) : byFirstEpoch.find(session, lower, upper, false);
                if (!reverse) {
                    // The rows after the one holding from end after it; without one, they end at start or later.
                    lasts = lastsFrom(holding != null ? (long) holding.last + 1 : start, false);
                }
            }
        }

        /** The next stored row of the walk, or null when there are no more. */
        StoredRow next() {
            if (!reverse && !holdingDone) {
                holdingDone = true;
                if (holding != null) {
                    return holding;
                }
            }
            if (cursor != null && cursor.next()) {
                previous = row(cursor.getSearchRow());
                return previous;
            }
            if (reverse && !holdingDone) {
                holdingDone = true;
                return holding;
            }
            return null;
        }

        private StoredRow row(SearchRow entry) {
            int first = entry.getValue(runAndFirst[1]).getInt();
            if (reverse && previous == null) {
                // The first row of a backward walk: rows before it end before it starts.
                StoredRow row = load(entry.getKey());
                lasts = lastsFrom((long) row.first - 1, true);
                return row;
            }
            if (lastsAgree && lasts != null && lasts.next() && lasts.getSearchRow().getKey() == entry.getKey()) {
                return known(first, lasts.getSearchRow().getValue(lastColumn).getInt(), entry.getKey(), null);
            }
            lastsAgree = false;
            return load(entry.getKey());
        }

        private Cursor lastsFrom(long epoch, boolean backwards) {
            if (epoch < 0 || epoch > Integer.MAX_VALUE) {
                return null;
            }
            SearchRow at = EventTables.searchRow(blocks, runAndLast, ValueBigint.get(runId), ValueInteger.get((int) epoch));
            SearchRow run = EventTables.searchRow(blocks, new int[] {runAndLast[0]}, ValueBigint.get(runId));
            return backwards ? byLastEpoch.find(session, at, run, true) : byLastEpoch.find(session, at, run, false);
        }
    }

    private StoredRow lastStartingAtOrBefore(int epoch) {
        SearchRow upper = EventTables.searchRow(blocks, runAndFirst, ValueBigint.get(runId), ValueInteger.get(epoch));
        SearchRow lower = EventTables.searchRow(blocks, new int[] {runAndFirst[0]}, ValueBigint.get(runId));
        Cursor c = byFirstEpoch.find(session, upper, lower, true);
        return c.next() ? load(c.getSearchRow().getKey()) : null;
    }

    private StoredRow load(long key) {
        if (last != null && last.key == key) {
            return last;
        }
        Row base = blocks.getRow(session, key);
        return known(base.getValue(runAndFirst[1]).getInt(), base.getValue(lastColumn).getInt(), key, base);
    }

    /** The row with this key: the one last handed out if it is that one (its bytes already read), else a new one. */
    private StoredRow known(int first, int lastEpoch, long key, Row base) {
        if (last == null || last.key != key) {
            last = new StoredRow(first, lastEpoch, key, base);
        }
        return last;
    }

    /**
     * One stored row: epochs {@code first..last}, their canonical bytes one after another. The head is read with the
     * row; a part of a row longer than {@link StoredEpochs#PART_BYTES} is read the first time a value in it is asked for.
     */
    final class StoredRow {
        final int first;
        final int last;
        private final long key;
        private Row base;
        private byte[] head;
        private byte[][] partBytes;

        private StoredRow(int first, int last, long key, Row base) {
            this.first = first;
            this.last = last;
            this.key = key;
            this.base = base;
        }

        /** The double at {@code index} (counted in doubles from the epoch's first) of {@code epoch}. */
        double getDouble(int epoch, int index) {
            long offset = (long) (epoch - first) * epochBytes + (long) index * Double.BYTES;
            if (offset < StoredEpochs.PART_BYTES) {
                byte[] h = head();
                if (offset + Double.BYTES > h.length) {
                    throw missing(epoch, "its row holds " + h.length + " of " + (long) (last - first + 1) * epochBytes + " bytes");
                }
                return (double) DOUBLES.get(h, (int) offset);
            }
            int part = (int) (offset / StoredEpochs.PART_BYTES);
            byte[] p = part(part, epoch);
            int at = (int) (offset % StoredEpochs.PART_BYTES);
            if (at + Double.BYTES > p.length) {
                throw missing(epoch, "part " + part + " of its row is " + p.length + " bytes long");
            }
            return (double) DOUBLES.get(p, at);
        }

        private byte[] head() {
            if (head == null) {
                if (base == null) {
                    base = blocks.getRow(session, key);
                }
                head = base.getValue(payloadColumn).getBytesNoCopy();
            }
            return head;
        }

        private byte[] part(int part, int epoch) {
            if (partBytes == null) {
                long rowBytes = (long) (last - first + 1) * epochBytes;
                partBytes = new byte[(int) ((rowBytes + StoredEpochs.PART_BYTES - 1) / StoredEpochs.PART_BYTES)][];
            }
            if (part >= partBytes.length) {
                throw missing(epoch, "its row has no part " + part);
            }
            if (partBytes[part] == null) {
                partBytes[part] = readPart(part, epoch);
            }
            return partBytes[part];
        }

        private byte[] readPart(int part, int epoch) {
            if (parts == null) {
                parts = EventTables.table(session, EventTables.EPOCH_PARTS);
                partKey = EventTables.index(parts, "RUN_ID", "EPOCH", "PART");
                partColumns = new int[] {EventTables.column(parts, "RUN_ID"), EventTables.column(parts, "EPOCH"), EventTables.column(parts, "PART")};
                partPayloadColumn = EventTables.column(parts, "PAYLOAD");
            }
            SearchRow key = EventTables.searchRow(parts, partColumns, ValueBigint.get(runId), ValueInteger.get(first), ValueInteger.get(part));
            Cursor c = partKey.find(session, key, key, false);
            if (!c.next()) {
                throw missing(epoch, "part " + part + " of its row is not in epoch_parts");
            }
            Value payload = c.get().getValue(partPayloadColumn);
            return payload.getBytesNoCopy();
        }

        private DbException missing(int epoch, String what) {
            return DbException.get(org.h2.api.ErrorCode.GENERAL_ERROR_1, "run " + runId + " epoch " + epoch + " is missing stored bytes (" + what
                    + "): the store was changed behind the application's back ('backprop verify " + runId + "' says what differs)");
        }
    }
}
