package org.backprop.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;

/**
 * The hash chain that makes a run tamper-evident: the start event's hash covers its canonical configuration, and
 * every later event's hash covers the previous hash, the event's kind and number, and its canonical bytes (SHA-256);
 * the terminal event's covers its time too.
 */
public final class EventHashes {
    public static final int LENGTH = 32;
    /** The status a completed run's terminal event is stored and hashed with. */
    public static final String COMPLETED = "completed";
    /** The status a failed run's terminal event is stored and hashed with. */
    public static final String FAILED = "failed";

    private final MessageDigest digest;
    private final ByteBuffer header = ByteBuffer.allocate(Integer.BYTES + 1).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer time = ByteBuffer.allocate(Long.BYTES + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);

    public EventHashes() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    public byte[] start(byte[] canonicalConfig, byte[] initialParameters) {
        digest.reset();
        digest.update((byte) 'S');
        digest.update(canonicalConfig);
        digest.update(initialParameters);
        return digest.digest();
    }

    /** Hash of an epoch whose canonical bytes are {@code bytes[offset, offset+length)}; writes it into {@code out} at {@code outOffset}. */
    public void epoch(byte[] previous, int previousOffset, int epoch, byte[] bytes, int offset, int length, byte[] out, int outOffset) {
        digest.reset();
        digest.update(previous, previousOffset, LENGTH);
        header.clear();
        header.put((byte) 'E').putInt(epoch);
        digest.update(header.array(), 0, header.position());
        digest.update(bytes, offset, length);
        try {
            digest.digest(out, outOffset, LENGTH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hash of a start event: its canonical configuration and its initial parameters. */
    public byte[] start(RunStarted started) {
        return start(CanonicalConfig.json(started).getBytes(StandardCharsets.UTF_8), EpochCodec.pack(started.config().initial()));
    }

    /**
     * Hash of a terminal event that follows the event hashed {@code previous}: its status, epoch, reason, final
     * parameters and time.
     */
    public byte[] end(byte[] previous, RunEvent end) {
        return end(previous, end, true);
    }

    private byte[] end(byte[] previous, RunEvent end, boolean withTime) {
        return switch (end) {
            case RunCompleted done -> end(previous, COMPLETED, done.epochs(), done.reason(), EpochCodec.pack(done.finalParameters()),
                    withTime ? done.endedAt() : null);
            case RunFailed failed -> end(previous, FAILED, failed.epoch(), failed.reason(), null, withTime ? failed.endedAt() : null);
            case RunStarted s -> throw new IllegalArgumentException("a start event does not end a run: " + s);
            case EpochRecorded e -> throw new IllegalArgumentException("an epoch does not end a run: " + e);
        };
    }

    /** The same, from the terminal event's stored values; a null {@code endedAt} gives the form without the time. */
    public byte[] end(byte[] previous, String status, int epoch, String reason, byte[] finalParameters, Instant endedAt) {
        digest.reset();
        digest.update(previous);
        header.clear();
        header.put((byte) 'T').putInt(epoch);
        digest.update(header.array(), 0, header.position());
        digest.update(status.getBytes(StandardCharsets.UTF_8));
        if (reason != null) {
            digest.update(reason.getBytes(StandardCharsets.UTF_8));
        }
        if (finalParameters != null) {
            digest.update(finalParameters);
        }
        if (endedAt != null) {
            time.clear();
            time.putLong(endedAt.getEpochSecond()).putInt(endedAt.getNano());
            digest.update(time.array(), 0, time.position());
        }
        return digest.digest();
    }

    /**
     * True when {@code claimed} is the terminal event's hash. Runs recorded before backprop 0.2 hashed their terminal
     * event without its time; for them the form without it is accepted, so their end time stays unprotected.
     */
    public boolean endMatches(byte[] previous, RunEvent end, byte[] claimed) {
        return Arrays.equals(end(previous, end, true), claimed) || Arrays.equals(end(previous, end, false), claimed);
    }
}
