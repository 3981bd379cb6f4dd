package org.backprop.store.h2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The passwords every store had before stores got credentials of their own: schema 1 created the application's users
 * with fixed passwords, and its migration (which Flyway keeps byte for byte) is where they are read from, so that an
 * old store can be opened once more and given its own.
 */
final class LegacyPasswords {
    private static final String SCHEMA_1 = "/db/migration/V1__event_tables_and_views.sql";

    private LegacyPasswords() {
    }

    /** The account schema 1 created for {@code user}, if it created one. */
    static Optional<Account> of(String user) {
        Matcher m = Pattern.compile("(?im)^CREATE USER IF NOT EXISTS " + Pattern.quote(user) + " PASSWORD '([^']*)';").matcher(schema1());
        return m.find() ? Optional.of(new Account(user, m.group(1))) : Optional.empty();
    }

    private static String schema1() {
        try (InputStream in = LegacyPasswords.class.getResourceAsStream(SCHEMA_1)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_1 + " is missing from the program");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
