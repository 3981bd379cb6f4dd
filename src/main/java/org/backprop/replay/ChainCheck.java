package org.backprop.replay;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventHashes;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;

/**
 * Checks a run's events, one at a time in order, against the hashes they carry: how a run read from a file proves it
 * is what its store recorded. Each method returns null when the event fits, else what is wrong with it.
 */
public final class ChainCheck {
    private final RunStarted started;
    private final EventHashes hashes = new EventHashes();
    private final EpochCodec codec;
    private final byte[] bytes;
    private final ByteBuffer buffer;
    private byte[] previous;
    private byte[] current = new byte[EventHashes.LENGTH];
    private int nextEpoch;
    private boolean ended;

    public ChainCheck(RunStarted started) {
        this.started = started;
        this.codec = EpochCodec.of(started.config());
        this.bytes = new byte[codec.epochBytes()];
        this.buffer = ByteBuffer.wrap(bytes);
        this.previous = hashes.start(started);
    }

    /** Whether the start event's hash covers its configuration and initial weights. */
    public String start(byte[] claimed) {
        return Arrays.equals(previous, claimed) ? null
                : "the hash of run " + started.runId() + "'s start event does not match its configuration";
    }

    public String epoch(EpochRecorded e, byte[] claimed) {
        String order = follows(e.runId(), "epoch " + e.epoch());
        if (order != null) {
            return order;
        }
        if (e.epoch() != nextEpoch) {
            return e.epoch() > nextEpoch ? (e.epoch() - 1 == nextEpoch ? "epoch " + nextEpoch + " is" : "epochs " + nextEpoch + " to "
                    + (e.epoch() - 1) + " are") + " missing before epoch " + e.epoch()
                    : "epoch " + e.epoch() + " comes again after epoch " + (nextEpoch - 1);
        }
        buffer.clear();
        codec.write(e, buffer);
        hashes.epoch(previous, 0, e.epoch(), bytes, 0, bytes.length, current, 0);
        if (!Arrays.equals(current, claimed)) {
            return "the hash of epoch " + e.epoch() + " does not match its values";
        }
        byte[] t = previous;
        previous = current;
        current = t;
        nextEpoch++;
        return null;
    }

    public String end(RunEvent end, byte[] claimed) {
        String order = follows(end.runId(), "the end event");
        if (order != null) {
            return order;
        }
        int epoch = switch (end) {
            case RunCompleted done -> done.epochs();
            case RunFailed failed -> failed.epoch();
            default -> throw new IllegalArgumentException("a run ends completed or failed, not " + end);
        };
        ended = true;
        if (epoch != nextEpoch) {
            return "the end event names epoch " + epoch + " but " + nextEpoch + " epochs came before it";
        }
        return hashes.endMatches(previous, end, claimed) ? null : "the hash of the end event does not match its values";
    }

    private String follows(long runId, String what) {
        if (ended) {
            return what + " comes after the run's end event";
        }
        if (runId != started.runId()) {
            return what + " belongs to run " + runId + ", not to run " + started.runId();
        }
        return null;
    }

    /** The number of epochs checked so far. */
    public int epochs() {
        return nextEpoch;
    }
}
