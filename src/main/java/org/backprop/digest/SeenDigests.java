package org.backprop.digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.backprop.events.EventStore;
import org.backprop.events.JournalEntry;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * What this machine last saw each store hold: the newest digest of every store a command of this user wrote to, kept
 * in the user's state folder ({@code $BACKPROP_STATE}, else {@code $XDG_STATE_HOME/backprop}, else
 * {@code ~/.local/state/backprop}), one owner-only file per store id. {@code verify} checks a store against it, so a
 * store that was rolled back or replaced by an older copy is noticed without a digest kept elsewhere.
 */
public final class SeenDigests {
    /** Tests and embedders may point the folder elsewhere with this system property. */
    public static final String PROPERTY = "backprop.state";
    public static final String ENVIRONMENT_VARIABLE = "BACKPROP_STATE";

    private final Path folder;

    public SeenDigests(Path folder) {
        this.folder = folder;
    }

    /** The user's state folder, as the class comment says. */
    public static SeenDigests ofUser() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return new SeenDigests(Path.of(property));
        }
        String env = System.getenv(ENVIRONMENT_VARIABLE);
        if (env != null && !env.isBlank()) {
            return new SeenDigests(Path.of(env));
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return new SeenDigests(base.resolve("backprop"));
    }

    private Path file(UUID storeId) {
        return folder.resolve("digests").resolve(storeId.toString());
    }

    /** The newest digest recorded for the store, if this machine saw it. A damaged file counts as none. */
    public Optional<StoreDigest> last(UUID storeId) {
        Path f = file(storeId);
        try {
            return Files.exists(f) ? Optional.of(StoreDigest.parse(Files.readString(f, StandardCharsets.UTF_8))) : Optional.empty();
        } catch (IOException | StoreDigest.InvalidDigestException e) {
            return Optional.empty();
        }
    }

    /**
     * Records the store's digest as what this machine saw last, unless the store no longer extends what it saw before:
     * then the older digest is kept, so that {@code verify} reports the store as rolled back or replaced, even after
     * more was written to it.
     */
    public boolean recordIfExtending(EventStore store, StoreDigest digest) {
        Optional<StoreDigest> known = last(digest.storeId());
        if (known.isPresent() && known.get().entries() > 0) {
            Optional<JournalEntry> then = store.journalEntry(known.get().entries());
            if (then.isEmpty() || !Arrays.equals(then.get().chain(), known.get().head())) {
                return true;
            }
        }
        return record(digest);
    }

    /**
     * Records the digest unless one covering more of the store's journal is recorded already (two writers finishing
     * at once may record in either order). Best effort: a state folder that cannot be written loses only this memory.
     *
     * @return false when it could not be written
     */
    public boolean record(StoreDigest digest) {
        Optional<StoreDigest> known = last(digest.storeId());
        if (known.isPresent() && known.get().entries() > digest.entries()) {
            return true;
        }
        Path f = file(digest.storeId());
        try {
            Path dir = f.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path part = dir.resolve(f.getFileName() + "." + ProcessHandle.current().pid() + ".part");
            Files.writeString(part, digest.text() + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.move(part, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, f, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
