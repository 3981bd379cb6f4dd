package org.backprop.store.h2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.backprop.events.StoreException;

/**
 * A store's own database accounts, made at random when the store is made and kept in a file only its owner may read:
 * the owner (the schema's owner, never an admin), the application (records runs) and the reader ({@code backprop
 * sql}). A copy given to a server's clients holds the application's and reader's accounts only.
 */
record StoreCredentials(Path file, Account owner, Account app, Account reader) {
    static final String OWNER = "BACKPROP_OWNER";
    static final String APP = "BACKPROP_APP";
    static final String READER = "BACKPROP_READER";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** New random passwords for the three accounts, to be kept in {@code file}. */
    static StoreCredentials generate(Path file) {
        return new StoreCredentials(file, new Account(OWNER, password()), new Account(APP, password()), new Account(READER, password()));
    }

    private static String password() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The credentials in the file, if it exists; refuses a file other users may read or change. */
    static Optional<StoreCredentials> read(Path file) {
        Map<String, String> values = new HashMap<>();
        try {
            Optional<String> unsafe = OwnerOnlyFiles.whyNotPrivate(file);
            if (unsafe.isPresent() && unsafe.get().startsWith("it belongs to ")) {
                throw new StoreException("the credentials file " + file + " is not this user's (" + unsafe.get() + "): a store is opened"
                        + " by its owner, or through 'backprop server' with the app and reader lines of its credentials");
            }
            if (unsafe.isPresent()) {
                throw new StoreException("the credentials file " + file + " is not private (" + unsafe.get() + "), so it cannot be"
                        + " trusted: make it yours alone (chmod 600 " + file + ") if you wrote it, else delete it");
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (!l.isEmpty() && !l.startsWith("#") && eq > 0) {
                    values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("the credentials file " + file + " cannot be read: " + e.getMessage(), e);
        }
        StoreCredentials c = new StoreCredentials(file, account(values, "owner"), account(values, "app"), account(values, "reader"));
        if (c.owner == null && c.app == null && c.reader == null) {
            throw new StoreException("the credentials file " + file + " names no account (lines such as app.user=... and"
                    + " app.password=...): give the file backprop made beside the store");
        }
        return Optional.of(c);
    }

    private static Account account(Map<String, String> values, String role) {
        String user = values.get(role + ".user");
        String password = values.get(role + ".password");
        return user == null || password == null ? null : new Account(user, password);
    }

    /** Writes the file whole, readable by its owner only. */
    void write(String store) throws IOException {
        write(store, null);
    }

    /** The comment that names the process that made a store, which a process waiting for the store looks for. */
    static final String MADE_BY = "# made by process ";

    /** Writes the file whole, readable by its owner only, naming the process making the store ({@code pid@host}) if given. */
    void write(String store, String madeBy) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# backprop: the database accounts of the store ").append(store).append('\n');
        if (madeBy != null) {
            b.append(MADE_BY).append(madeBy).append('\n');
        }
        b.append("# Keep this file beside the store and private (mode 600): the store cannot be opened without it.\n");
        b.append("# A server's clients need only the app and reader lines, never the owner's.\n");
        line(b, "owner", owner);
        line(b, "app", app);
        line(b, "reader", reader);
        OwnerOnlyFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void line(StringBuilder b, String role, Account a) {
        if (a != null) {
            b.append(role).append(".user=").append(a.user()).append('\n');
            b.append(role).append(".password=").append(a.password()).append('\n');
        }
    }

    /** The application's account, which every command but {@code sql} connects as. */
    @Override
    public Account app() {
        return require(app, "app");
    }

    /** The read-only account of {@code backprop sql}. */
    @Override
    public Account reader() {
        return require(reader, "reader");
    }

    /** The owner's account: only the store's owner has it. */
    @Override
    public Account owner() {
        return require(owner, "owner");
    }

    private Account require(Account a, String role) {
        if (a == null) {
            throw new StoreException("the credentials file " + file + " has no " + role + " account (lines " + role + ".user and "
                    + role + ".password): give a copy of the file beside the store that has them");
        }
        return a;
    }
}
