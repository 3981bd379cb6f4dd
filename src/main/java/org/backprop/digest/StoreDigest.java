package org.backprop.digest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.backprop.events.JournalEntry;
import org.backprop.model.BackpropException;

/**
 * A short, copyable statement of a store's state, to be kept outside the store (a lab notebook, a commit, a paper):
 * which store, how many journal entries and events it held, the head of its journal's chain, and when. A later
 * {@code verify --against} proves that the store's journal still extends it. One line:
 * {@code backprop-digest/1 store=UUID entries=N events=N head=HEX at=INSTANT [sig=BASE64]}; the optional Ed25519
 * signature covers the line before {@code " sig="}.
 */
public record StoreDigest(UUID storeId, long entries, long events, byte[] head, Instant at, byte[] signature) {
    static final String PREFIX = "backprop-digest/1";

    public StoreDigest {
        head = head.clone();
        signature = signature == null ? null : signature.clone();
    }

    /** The digest of a store whose journal ends with {@code head} (null for an empty journal), taken {@code at}. */
    public static StoreDigest of(UUID storeId, JournalEntry head, Instant at) {
        return head == null ? new StoreDigest(storeId, 0, 0, org.backprop.events.StoreJournal.origin(storeId), at, null)
                : new StoreDigest(storeId, head.seq(), head.totalEvents(), head.chain(), at, null);
    }

    @Override
    public byte[] head() {
        return head.clone();
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    public boolean signed() {
        return signature != null;
    }

    public StoreDigest withSignature(byte[] sig) {
        return new StoreDigest(storeId, entries, events, head, at, sig);
    }

    /** The line without its signature: what a signature signs. */
    public String unsignedText() {
        return PREFIX + " store=" + storeId + " entries=" + entries + " events=" + events + " head=" + HexFormat.of().formatHex(head)
                + " at=" + at;
    }

    /** The line, signature included when there is one. */
    public String text() {
        return signature == null ? unsignedText() : unsignedText() + " sig=" + java.util.Base64.getEncoder().encodeToString(signature);
    }

    @Override
    public String toString() {
        return text();
    }

    /** Reads a digest line as {@link #text()} writes it; anything else is a {@link InvalidDigestException}. */
    public static StoreDigest parse(String line) {
        String text = line.strip();
        if (!text.startsWith(PREFIX + " ")) {
            throw new InvalidDigestException("'" + shorten(text) + "' is not a backprop digest: give the line 'backprop digest' printed,"
                    + " which starts with '" + PREFIX + " store='");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : text.substring(PREFIX.length() + 1).split(" ")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw malformed(text, "'" + part + "' is not a name=value pair");
            }
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        try {
            UUID store = UUID.fromString(required(fields, "store", text));
            long entries = Long.parseLong(required(fields, "entries", text));
            long events = Long.parseLong(required(fields, "events", text));
            byte[] head = HexFormat.of().parseHex(required(fields, "head", text));
            Instant at = Instant.parse(required(fields, "at", text));
            byte[] sig = fields.containsKey("sig") ? java.util.Base64.getDecoder().decode(fields.get("sig")) : null;
            if (head.length != 32 || entries < 0 || events < 0) {
                throw malformed(text, "its head is not 64 hexadecimal digits, or a count is negative");
            }
            return new StoreDigest(store, entries, events, head, at, sig);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw malformed(text, e.getMessage());
        }
    }

    private static String required(Map<String, String> fields, String name, String text) {
        String v = fields.get(name);
        if (v == null) {
            throw malformed(text, "it has no " + name + "=");
        }
        return v;
    }

    private static InvalidDigestException malformed(String text, String why) {
        return new InvalidDigestException("the digest '" + shorten(text) + "' is damaged (" + why + "): copy the whole line 'backprop digest' printed");
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreDigest d && d.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    /** A digest that cannot be read, or a key that cannot be used with one: bad input. */
    public static final class InvalidDigestException extends BackpropException {
        private static final long serialVersionUID = 1L;

        public InvalidDigestException(String message) {
            super(message);
        }

        public InvalidDigestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
