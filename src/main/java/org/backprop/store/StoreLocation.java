package org.backprop.store;

import java.nio.file.Files;
import java.nio.file.Path;
import org.backprop.events.StoreException;

/**
 * Where a store lives: an H2 file named as H2 names it ({@code PATH} means {@code PATH.mv.db} on disk) or a full
 * {@code jdbc:h2:} URL, such as a TCP server's.
 */
public record StoreLocation(String url, Path file) {

    public static final String DEFAULT_PATH = "backprop-store";
    public static final String ENVIRONMENT_VARIABLE = "BACKPROP_DB";

    /** From {@code --db}, else the {@code BACKPROP_DB} environment variable, else {@code ./backprop-store}. */
    public static StoreLocation resolve(String option, String environment) {
        String given = option != null && !option.isBlank() ? option
                : environment != null && !environment.isBlank() ? environment : DEFAULT_PATH;
        return of(given);
    }

    public static StoreLocation of(String given) {
        if (given.startsWith("jdbc:")) {
            if (!given.startsWith("jdbc:h2:")) {
                throw new StoreException("the store URL " + given + " is not an H2 URL: give a path or a jdbc:h2: URL");
            }
            String rest = given.substring("jdbc:h2:".length());
            if (rest.startsWith("file:")) {
                return file(Path.of(stripOptions(rest.substring("file:".length()))), options(rest));
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
        // AUTO_SERVER lets a second process use the store while the first has it open (H2's mixed mode).
        String url = "jdbc:h2:file:" + absolute + ";AUTO_SERVER=TRUE" + options;
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

    public boolean exists() {
        return file == null || Files.exists(dataFile());
    }

    /** How to name this store to a person. */
    public String describe() {
        return file == null ? url : dataFile().toString();
    }
}
