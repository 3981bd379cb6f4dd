package org.backprop.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backprop.events.StoreException;

/**
 * Where a store lives: an H2 file named as H2 names it ({@code PATH} means {@code PATH.mv.db} on disk), a full
 * {@code jdbc:h2:} URL, such as a TCP server's, or a PostgreSQL database's {@code jdbc:postgresql:} URL (a team
 * store, see store.postgres, whose credentials are PostgreSQL's own); and where an H2 store's credentials are. A file store's credentials file is
 * beside it ({@code PATH.credentials}); a server's store's is named by {@code BACKPROP_CREDENTIALS} or kept in the
 * user's configuration folder, {@code ~/.config/backprop/credentials/HOST-PORT-NAME.credentials}.
 *
 * @param credentials the credentials file to use, or null to look beside the store
 * @param serverFingerprint the SHA-256 fingerprint of the certificate a TLS server ({@code jdbc:h2:ssl:}) must show, or null
 */
public record StoreLocation(String url, Path file, Path credentials, String serverFingerprint) {

    public static final String DEFAULT_PATH = "backprop-store";
    public static final String ENVIRONMENT_VARIABLE = "BACKPROP_DB";
    /** Names the credentials file of a store on a server (never given on the command line, where others could read it). */
    public static final String CREDENTIALS_VARIABLE = "BACKPROP_CREDENTIALS";
    /** The SHA-256 fingerprint a TLS server printed, which its clients then trust it by. */
    public static final String FINGERPRINT_VARIABLE = "BACKPROP_SERVER_FINGERPRINT";
    /** The prefix under which H2 creates a store's files readable by their owner only (see store.h2.OwnerOnlyFilePath). */
    private static final String OWNER_ONLY = "private:";
    /** How the URL of a PostgreSQL store (a team store) begins. */
    public static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    /** A URL parameter that holds a secret: its value is never printed. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)([?&;][^=&;]*password[^=&;]*=)[^&;]*");
    private static final Pattern SERVER_URL = Pattern.compile("jdbc:h2:(?:tcp|ssl)://([^/:;]+)(?::([0-9]+))?/([^;]+).*");

    public StoreLocation(String url, Path file) {
        this(url, file, null, null);
    }

    /** From {@code --db}, else the {@code BACKPROP_DB} environment variable, else {@code ./backprop-store}. */
    public static StoreLocation resolve(String option, String environment) {
        String given = option != null && !option.isBlank() ? option
                : environment != null && !environment.isBlank() ? environment : DEFAULT_PATH;
        return of(given);
    }

    /**
     * As {@link #resolve(String, String)}, with the credentials of a store on a server taken from
     * {@code BACKPROP_CREDENTIALS} or the user's configuration folder, and a TLS server's fingerprint from
     * {@code BACKPROP_SERVER_FINGERPRINT}.
     */
    public static StoreLocation resolve(String option, Function<String, String> environment) {
        StoreLocation l = resolve(option, environment.apply(ENVIRONMENT_VARIABLE));
        if (l.file != null || l.isPostgres()) {
            return l;
        }
        String named = environment.apply(CREDENTIALS_VARIABLE);
        Path credentials = named != null && !named.isBlank() ? Path.of(named) : l.configuredCredentials(configFolder(environment));
        String fingerprint = environment.apply(FINGERPRINT_VARIABLE);
        return new StoreLocation(l.url, null, credentials, fingerprint == null || fingerprint.isBlank() ? null : fingerprint.strip());
    }

    /** The user's backprop configuration folder: {@code $XDG_CONFIG_HOME/backprop}, else {@code ~/.config/backprop}. */
    public static Path configFolder(Function<String, String> environment) {
        String xdg = environment.apply("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "backprop");
        }
        String home = environment.apply("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config", "backprop");
    }

    public static StoreLocation of(String given) {
        if (given.startsWith("jdbc:")) {
            if (given.startsWith(POSTGRES_PREFIX)) {
                return new StoreLocation(given, null);
            }
            if (!given.startsWith("jdbc:h2:")) {
                throw new StoreException("the store URL " + masked(given) + " is neither an H2 nor a PostgreSQL URL: give a path, a jdbc:h2:"
                        + " URL or a jdbc:postgresql://HOST/DATABASE URL");
            }
            String rest = given.substring("jdbc:h2:".length());
            if (rest.startsWith("file:")) {
                return file(Path.of(stripOptions(rest.substring("file:".length()))), options(rest));
            }
            if (!rest.startsWith("tcp://") && !rest.startsWith("ssl://")) {
                throw new StoreException("the store URL " + given + " names neither a file nor a server: give a path, a jdbc:h2:file: URL,"
                        + " or a server's jdbc:h2:tcp:// or jdbc:h2:ssl:// URL");
            }
            return new StoreLocation(given, null);
        }
        return file(Path.of(given), "");
    }

    private static StoreLocation file(Path path, String options) {
        String name = path.toString();
        if (name.endsWith(".mv.db")) {
            path = Path.of(name.substring(0, name.length() - ".mv.db".length()));
        }
        Path absolute = path.toAbsolutePath().normalize();
        // AUTO_SERVER lets a second process use the store while the first has it open (H2's mixed mode); the server
        // it starts listens on the loopback address only (store.h2.H2Process).
        String url = "jdbc:h2:" + OWNER_ONLY + absolute + ";AUTO_SERVER=TRUE" + options;
        return new StoreLocation(url, absolute);
    }

    private static String stripOptions(String s) {
        int semicolon = s.indexOf(';');
        return semicolon < 0 ? s : s.substring(0, semicolon);
    }

    private static String options(String s) {
        int semicolon = s.indexOf(';');
        return semicolon < 0 ? "" : s.substring(semicolon).replaceAll("(?i);AUTO_SERVER=[A-Z]+", "");
    }

    /**
     * The same file store opened read-only and by this process alone: no byte of the file changes, no lock file is
     * made (H2 cannot serve a store it opened read-only to other processes, so this is for when none holds it).
     */
    public StoreLocation readOnly() {
        if (file == null) {
            return this;
        }
        return new StoreLocation(url.replace(";AUTO_SERVER=TRUE", "") + ";ACCESS_MODE_DATA=r", file);
    }

    /** The lock file H2 keeps beside a file store while a process holds it open. */
    public Path lockFile() {
        return file == null ? null : Path.of(file + ".lock.db");
    }

    /** The file H2 keeps the store in, or null for a server URL. */
    public Path dataFile() {
        return file == null ? null : Path.of(file + ".mv.db");
    }

    /** The file the store's credentials are kept in: beside a file store, or as resolved for a server's store (may be null). */
    public Path credentialsFile() {
        return file != null ? Path.of(file + ".credentials") : credentials;
    }

    /** The URL that opens a file store with no server of its own, for the one process that serves it to others. */
    public String unsharedUrl() {
        if (file == null) {
            throw new IllegalStateException("only a file store can be opened unshared: " + url);
        }
        return url.replace(";AUTO_SERVER=TRUE", "");
    }

    /** The name H2 gives the database of a file store (what a TCP server maps a client's store name to). */
    public String databaseName() {
        return OWNER_ONLY + file;
    }

    public boolean exists() {
        return file == null || Files.exists(dataFile());
    }

    /** How to name this store to a person: its file, or its URL with every password in it masked. */
    public String describe() {
        return file == null ? masked(url) : dataFile().toString();
    }

    /** Whether this is a PostgreSQL database (a team store) rather than an H2 store. */
    public boolean isPostgres() {
        return url.startsWith(POSTGRES_PREFIX);
    }

    /** The URL with the value of every parameter that holds a password replaced by {@code ***}. */
    public static String masked(String url) {
        return SECRET_PARAMETER.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "StoreLocation[" + describe() + "]";
    }

    /** The host and port of the server a {@code jdbc:h2:tcp://} or {@code ssl://} store is on (H2's port 9092 when none is named). */
    public java.util.Optional<java.net.InetSocketAddress> serverAddress() {
        Matcher m = SERVER_URL.matcher(url);
        if (file != null || !m.matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(java.net.InetSocketAddress.createUnresolved(m.group(1), m.group(2) == null ? 9092 : Integer.parseInt(m.group(2))));
    }

    /** Where a server store's credentials are kept in the configuration folder: HOST-PORT-NAME.credentials. */
    private Path configuredCredentials(Path configFolder) {
        Matcher m = SERVER_URL.matcher(url);
        if (!m.matches()) {
            return null;
        }
        String key = m.group(1) + "-" + (m.group(2) == null ? "9092" : m.group(2)) + "-" + m.group(3);
        return configFolder.resolve("credentials").resolve(key.replaceAll("[^A-Za-z0-9._-]", "_") + ".credentials");
    }
}
