package org.backprop.store.h2;

import java.util.List;
import java.util.Locale;

/**
 * The passwords the three users of every store had in backprop 0.2 and older, which any local user could read in the
 * source: each user's name in lower case with a hyphen for the underscore (schema 1's migration shows it for the two
 * users it creates; a test checks the rule against it). Tests use them to show that no store accepts them any more.
 */
final class FixedPasswords {
    static final List<String> USERS = List.of(StoreCredentials.OWNER, StoreCredentials.APP, StoreCredentials.READER);

    private FixedPasswords() {
    }

    static String of(String user) {
        return user.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
