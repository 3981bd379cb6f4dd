package org.backprop.replay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import org.backprop.events.CanonicalConfig;
import org.backprop.events.EpochBlock;
import org.backprop.events.EpochCodec;
import org.backprop.events.EventHashes;
import org.backprop.events.EventStore;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.events.StoredRun;
import org.backprop.model.RunConfig;

/**
 * Checks recorded runs against themselves: re-executes each from its start event and compares every stored double bit
 * for bit, checks that no epoch is missing or recorded twice, and recomputes the hash chain to find the first event
 * changed behind the application's back. A run recorded from a spreadsheet holds the sheet's values, not this
 * program's: its hash chain and epoch order are checked, its values are not re-executed.
 */
public final class Verifier {
    private final EventStore store;

    public Verifier(EventStore store) {
        this.store = store;
    }

    public Verification verify(long runId) {
        StoredRun stored;
        try {
            stored = store.stored(runId);
        } catch (RuntimeException e) {
            // A start row edited into nonsense cannot even be read back: that is a finding, not a crash.
            return new Verification(runId, "?", store.epochCount(runId), "unreadable",
                    "the start event cannot be read back (" + e.getMessage() + ")", "the start event");
        }
        Check check = new Check(stored);
        store.forEachBlock(runId, check);
        return check.finish();
    }

    /** The state of one run's check as its stored rows go by. */
    private static final class Check implements Consumer<EpochBlock> {
        private final StoredRun stored;
        private final RunConfig config;
        private final int epochBytes;
        private final EventHashes hashes = new EventHashes();
        private final Reexecution reexecution;
        private byte[] previous;
        private byte[] current = new byte[EventHashes.LENGTH];
        private int expected;
        /** The epoch re-execution says the run stops after (its loss below --until-loss), or -1. */
        private int stopAfter = -1;
        private String stopReason;
        private boolean comparing = true;
        private String difference;
        private String brokenHash;

        Check(StoredRun stored) {
            this.stored = stored;
            RunStarted started = stored.started();
            this.config = started.config();
            this.epochBytes = EpochCodec.of(config).epochBytes();
            this.reexecution = new Reexecution(config, "in the store");
            this.previous = hashes.start(started);
            if (!CanonicalConfig.json(started).equals(stored.config())) {
                differ("the start event's stored configuration text no longer matches its columns");
            }
            if (!Arrays.equals(previous, stored.startHash())) {
                brokenHash = "the start event";
            }
            // The sheet's numbers are what was recorded; re-executing them would only restate the audit.
            comparing &= !started.recordedFromSheet();
        }

        private void differ(String what) {
            if (difference == null) {
                difference = what;
            }
            comparing = false;
        }

        private void hashBroken(String event) {
            if (brokenHash == null) {
                brokenHash = event;
            }
        }

        @Override
        public void accept(EpochBlock block) {
            int first = block.firstEpoch();
            int last = block.lastEpoch();
            if (first > expected) {
                differ(range(expected, first - 1) + " missing");
            } else if (first < expected) {
                differ(range(first, Math.min(last, expected - 1)) + " recorded twice");
            }
            int count = block.epochCount();
            byte[] payload = block.payload();
            byte[] storedHashes = block.hashes();
            if (count < 1 || payload.length != (long) count * epochBytes || storedHashes.length != count * EventHashes.LENGTH) {
                differ("the stored row of epochs " + first + " to " + last + " holds " + payload.length + " bytes of values and "
                        + storedHashes.length + " of hashes, not " + (long) Math.max(count, 0) * epochBytes + " and "
                        + Math.max(count, 0) * EventHashes.LENGTH);
                hashBroken("epoch " + first);
                expected = Math.max(expected, last + 1);
                return;
            }
            ByteBuffer p = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                int epoch = first + i;
                hashes.epoch(previous, 0, epoch, payload, i * epochBytes, epochBytes, current, 0);
                int h = i * EventHashes.LENGTH;
                if (!Arrays.equals(current, 0, EventHashes.LENGTH, storedHashes, h, h + EventHashes.LENGTH)) {
                    hashBroken("epoch " + epoch);
                }
                byte[] t = previous;
                previous = current;
                current = t;
                if (comparing) {
                    String differs = reexecution.epoch(epoch, p, i * epochBytes);
                    if (differs != null) {
                        differ(differs);
                    } else if (stopAfter < 0 && config.stopsAt(reexecution.loss()) && epoch + 1 < config.epochs()) {
                        // Its loss is below --until-loss: training stops after this epoch, so nothing may follow it.
                        stopAfter = epoch;
                        stopReason = config.stopReason(epoch, reexecution.loss());
                    }
                }
            }
            expected = Math.max(expected, last + 1);
        }

        private static String range(int from, int to) {
            return from == to ? "epoch " + from + " is" : "epochs " + from + " to " + to + " are";
        }

        Verification finish() {
            RunStarted started = stored.started();
            int count = expected;
            if (count > config.epochs()) {
                differ(count + " epochs are recorded but the run planned only " + config.epochs());
            }
            if (stopAfter >= 0 && count > stopAfter + 1) {
                differ(count + " epochs are recorded, but the run stops after epoch " + stopAfter + ": " + stopReason);
            }
            String end = "no end event (running or interrupted)";
            if (stored.end().isPresent()) {
                RunEvent event = stored.end().get();
                end = switch (event) {
                    case RunCompleted done -> {
                        checkEnd(done.epochs(), count, "completed after " + done.epochs() + " epochs");
                        if (comparing) {
                            report(reexecution.finalParameters(done.finalParameters()));
                            String expectedReason = stopAfter >= 0 && done.epochs() == stopAfter + 1 ? stopReason : null;
                            if (!java.util.Objects.equals(expectedReason, done.reason())) {
                                differ("the end event says " + (done.reason() == null ? "the run trained every epoch" : "'" + done.reason() + "'")
                                        + ", but re-execution says " + (expectedReason == null ? "it trains every epoch" : "'" + expectedReason + "'"));
                            }
                        }
                        yield done.reason() == null ? "completed" : "completed, " + done.reason();
                    }
                    case RunFailed failed -> {
                        checkEnd(failed.epoch(), count, "failed at epoch " + failed.epoch());
                        if (comparing) {
                            report(reexecution.failure(failed.epoch()));
                        }
                        yield "failed at epoch " + failed.epoch();
                    }
                    default -> throw new IllegalStateException("a run ends completed or failed, not " + event);
                };
                if (!hashes.endMatches(previous, event, stored.endHash())) {
                    hashBroken("the end event");
                }
            }
            return new Verification(started.runId(), config.name(), count, end, difference, brokenHash,
                    started.recordedFromSheet() ? started.source().describe() : null);
        }

        /** The terminal event names the epoch after the last one recorded; {@code how} says how the run ended. */
        private void checkEnd(int endEpoch, int count, String how) {
            if (endEpoch > count) {
                differ(range(count, endEpoch - 1) + " missing (the run " + how + ")");
            } else if (endEpoch < count) {
                differ("the run is recorded as " + how + ", but " + count + " epochs are recorded");
            }
        }

        private void report(String differs) {
            if (differs != null) {
                differ(differs);
            }
        }
    }
}
