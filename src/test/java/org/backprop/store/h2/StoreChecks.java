package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.backprop.events.CanonicalConfig;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventHashes;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.model.Backprop;
import org.backprop.model.EpochResult;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * Checks of what a store holds, straight from its rows: the hash chain recomputed over the stored bytes, every
 * recorded value recomputed from the run's start event, and two runs compared epoch by epoch, bit for bit.
 */
public final class StoreChecks {
    private static final int BLOCKS_PER_QUERY = 32;

    private StoreChecks() {
    }

    /**
     * Asserts the run's stored hashes are the chain recomputed from its stored bytes: the start event, every epoch
     * from 0 on without a gap and whole, and the terminal event if there is one. Returns the number of epochs.
     */
    public static int assertChainIntact(H2EventStore store, long runId) {
        return assertChainIntact(store, runId, true);
    }

    /**
     * The same; {@code endTimeHashed} false accepts a terminal event hashed without its time, as stores written before
     * backprop 0.2 have them (the schema-1 fixture).
     */
    public static int assertChainIntact(H2EventStore store, long runId, boolean endTimeHashed) {
        List<Object> start = store.query("SELECT config, initial_parameters, hash FROM run_started WHERE run_id = " + runId).rows().get(0);
        String config = (String) start.get(0);
        assertEquals(CanonicalConfig.json(store.started(runId)), config, "run " + runId + "'s start event reads back as it was hashed");
        EventHashes hashes = new EventHashes();
        byte[] previous = hashes.start(config.getBytes(StandardCharsets.UTF_8), (byte[]) start.get(1));
        assertArrayEquals(previous, (byte[]) start.get(2), "run " + runId + ": hash of the start event");
        int epochs = 0;
        byte[] computed = new byte[EventHashes.LENGTH];
        for (Iterator<StoredEpoch> it = storedEpochs(store, runId); it.hasNext(); ) {
            StoredEpoch e = it.next();
            assertEquals(epochs, e.epoch(), "run " + runId + ": epochs follow each other without a gap");
            hashes.epoch(previous, 0, e.epoch(), e.block(), e.offset(), e.length(), computed, 0);
            assertArrayEquals(computed, e.hash(), "run " + runId + ": hash of epoch " + e.epoch());
            previous = computed.clone();
            epochs++;
        }
        List<List<Object>> end = store.query("SELECT hash FROM run_ended WHERE run_id = " + runId).rows();
        if (!end.isEmpty()) {
            byte[] stored = (byte[]) end.get(0).get(0);
            RunEvent event = store.ended(runId).orElseThrow();
            if (endTimeHashed) {
                assertArrayEquals(hashes.end(previous, event), stored, "run " + runId + ": hash of the terminal event, with its time");
            } else {
                assertTrue(hashes.endMatches(previous, event, stored), "run " + runId + ": hash of the terminal event");
            }
        }
        return epochs;
    }

    /**
     * Asserts every recorded epoch of the run equals, bit for bit, the epoch recomputed from the run's start event,
     * and that its terminal event (if any) says what the recomputation says. Returns the number of epochs.
     */
    public static int assertRecordedValuesRecompute(H2EventStore store, long runId) {
        RunStarted started = store.started(runId);
        RunConfig c = started.config();
        EpochCodec codec = EpochCodec.of(c);
        Parameters p = c.initial();
        int epochs = 0;
        for (Iterator<StoredEpoch> it = storedEpochs(store, runId); it.hasNext(); ) {
            StoredEpoch e = it.next();
            EpochRecorded stored = codec.read(runId, e.epoch(), ByteBuffer.wrap(e.block()).position(e.offset()));
            EpochResult r = Backprop.epoch(c.network(), c.data(), p, c.learningRate());
            EpochRecorded expected = new EpochRecorded(runId, epochs, p, r.netInputs(), r.activations(), r.deltas(),
                    r.weightGradients(), r.biasGradients(), r.loss());
            if (!expected.equals(stored)) {
                fail("run " + runId + ", epoch " + epochs + ": recorded " + describe(stored) + " but recomputed " + describe(expected));
            }
            p = r.after();
            epochs++;
        }
        Optional<RunEvent> end = store.ended(runId);
        if (end.isPresent()) {
            switch (end.get()) {
                case RunCompleted done -> {
                    assertEquals(c.epochs(), done.epochs(), "run " + runId + " completed all its planned epochs");
                    assertEquals(epochs, done.epochs());
                    assertEquals(p, done.finalParameters(), "run " + runId + "'s final parameters");
                }
                case RunFailed failed -> {
                    assertEquals(epochs, failed.epoch(), "run " + runId + " failed at the epoch after its last recorded one");
                    EpochResult bad = Backprop.epoch(c.network(), c.data(), p, c.learningRate());
                    assertFalse(allFinite(bad), "run " + runId + "'s epoch " + epochs + " recomputes to a value that is not finite");
                    assertTrue(failed.reason().contains("at epoch " + epochs), failed.reason());
                }
                default -> fail("not a terminal event: " + end.get());
            }
        }
        return epochs;
    }

    private static boolean allFinite(EpochResult r) {
        for (double[] values : List.of(r.netInputs(), r.activations(), r.deltas(), r.weightGradients(), r.biasGradients(),
                r.after().weights(), r.after().biases())) {
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return Double.isFinite(r.loss());
    }

    /** Asserts two runs recorded the same epochs, bit for bit, and ended with the same final parameters. */
    public static void assertSameEpochs(H2EventStore store, long expectedRun, long actualRun) {
        Iterator<StoredEpoch> expected = storedEpochs(store, expectedRun);
        Iterator<StoredEpoch> actual = storedEpochs(store, actualRun);
        RunConfig c = store.started(expectedRun).config();
        EpochCodec codec = EpochCodec.of(c);
        int epochs = 0;
        while (expected.hasNext() && actual.hasNext()) {
            StoredEpoch a = expected.next();
            StoredEpoch b = actual.next();
            assertEquals(a.epoch(), b.epoch());
            if (!Arrays.equals(a.block(), a.offset(), a.offset() + a.length(), b.block(), b.offset(), b.offset() + b.length())) {
                fail("epoch " + a.epoch() + " differs: run " + expectedRun + " recorded "
                        + describe(codec.read(expectedRun, a.epoch(), ByteBuffer.wrap(a.block()).position(a.offset()))) + ", run "
                        + actualRun + " recorded " + describe(codec.read(actualRun, b.epoch(), ByteBuffer.wrap(b.block()).position(b.offset()))));
            }
            epochs++;
        }
        assertFalse(expected.hasNext() || actual.hasNext(), "runs " + expectedRun + " and " + actualRun + " recorded as many epochs (" + epochs + " compared)");
        RunEvent a = store.ended(expectedRun).orElseThrow();
        RunEvent b = store.ended(actualRun).orElseThrow();
        if (a instanceof RunCompleted doneA && b instanceof RunCompleted doneB) {
            assertEquals(doneA.finalParameters(), doneB.finalParameters(), "final parameters");
        } else {
            assertEquals(a.getClass(), b.getClass(), "both runs end the same way");
        }
    }

    private static String describe(EpochRecorded e) {
        return e + " with " + e.before();
    }

    /** One epoch's canonical bytes inside a stored block, with its stored hash. */
    record StoredEpoch(int epoch, byte[] block, int offset, int length, byte[] hash) {
    }

    /** The run's stored epochs in order, read a few blocks at a time, checking that every block holds whole epochs. */
    static Iterator<StoredEpoch> storedEpochs(H2EventStore store, long runId) {
        RunConfig c = store.started(runId).config();
        int epochBytes = EpochCodec.of(c).epochBytes();
        return new Iterator<>() {
            private List<List<Object>> page = List.of();
            private int row;
            private int nextFirst;
            private int epoch;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                while (true) {
                    if (row < page.size()) {
                        if (epoch <= (Integer) page.get(row).get(1)) {
                            return true;
                        }
                        row++;
                        if (row < page.size()) {
                            epoch = (Integer) page.get(row).get(0);
                        }
                        continue;
                    }
                    if (exhausted) {
                        return false;
                    }
                    page = store.query("SELECT first_epoch, last_epoch, payload, hashes FROM epoch_blocks WHERE run_id = " + runId
                            + " AND first_epoch >= " + nextFirst + " ORDER BY first_epoch LIMIT " + BLOCKS_PER_QUERY).rows();
                    row = 0;
                    if (page.isEmpty()) {
                        exhausted = true;
                        return false;
                    }
                    for (List<Object> block : page) {
                        int count = (Integer) block.get(1) - (Integer) block.get(0) + 1;
                        assertEquals(count * epochBytes, ((byte[]) block.get(2)).length, "run " + runId + ": block at epoch " + block.get(0) + " holds whole epochs");
                        assertEquals(count * EventHashes.LENGTH, ((byte[]) block.get(3)).length, "run " + runId + ": one hash per epoch");
                        nextFirst = (Integer) block.get(1) + 1;
                    }
                    epoch = (Integer) page.get(0).get(0);
                }
            }

            @Override
            public StoredEpoch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Object> block = page.get(row);
                int k = epoch - (Integer) block.get(0);
                byte[] hashes = (byte[]) block.get(3);
                StoredEpoch e = new StoredEpoch(epoch, (byte[]) block.get(2), k * epochBytes, epochBytes,
                        Arrays.copyOfRange(hashes, k * EventHashes.LENGTH, (k + 1) * EventHashes.LENGTH));
                epoch++;
                return e;
            }
        };
    }

    /** Makes the store at {@code path} look written by a newer backprop: its schema history names schema 99. */
    public static void markWrittenByNewerVersion(Path path) throws SQLException {
        try (Connection owner = StoreAccounts.owner(path); Statement s = owner.createStatement()) {
            s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\","
                    + " \"installed_by\", \"execution_time\", \"success\") VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 'x', 0, TRUE)");
        }
    }

    /** The number of runs in the store, read without going through the application's code. */
    public static int runCount(Path path) throws SQLException {
        try (Connection reader = StoreAccounts.reader(path); Statement s = reader.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM run_started")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The epochs of the run that are committed now, read as the read-only user without creating, migrating or
     * locking anything (so it can watch a store another process is writing), or -1 while that cannot be read yet.
     */
    public static int committedEpochs(Path path, long runId) {
        try (Connection reader = StoreAccounts.connect(path, "reader", ";IFEXISTS=TRUE"); Statement s = reader.createStatement();
             var rs = s.executeQuery("SELECT COALESCE(MAX(last_epoch) + 1, 0) FROM epoch_blocks WHERE run_id = " + runId)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /**
     * Closes the database under everyone connected to it, as H2 does when the process serving the store exits: their
     * sessions end, and their next statement reconnects (one of them opening the file itself). Only an admin may, and
     * admin rights exist only in the process that has the store's file open: this one, whose test holds the store.
     */
    public static void shutDownUnderEveryone(Path path) throws SQLException {
        try (Connection app = StoreAccounts.connect(path, "app", ";IFEXISTS=TRUE")) {
            try (Connection admin = AdminSession.of(app).orElseThrow(() -> new AssertionError("this process does not hold " + path));
                 Statement s = admin.createStatement()) {
                s.execute("SHUTDOWN");
            }
        } catch (SQLException e) {
            // Closing the application's connection after the shutdown has nothing left to close.
            if (!H2Errors.isConnectionLost(e)) {
                throw e;
            }
        }
    }
}
