package org.backprop.store.h2;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2's files seen through {@code private:}: every file H2 creates for a store (its data, its lock file with the key of
 * its AUTO_SERVER, its temporary files) is created readable by its owner only, whatever the umask, and no trace file is
 * written at all. A store's URL names its path as {@code jdbc:h2:private:/abs/path}; H2 strips the prefix and reads the
 * same files as ever.
 */
public final class OwnerOnlyFilePath extends FilePathWrapper {
    public static final String SCHEME = "private";
    /** H2's trace file, which no store gets: it would fill with the errors of clients dropped as their server exits. */
    private static final String TRACE_SUFFIX = ".trace.db";

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public boolean createFile() {
        try {
            return OwnerOnlyFiles.createFile(path());
        } catch (IOException e) {
            // H2's own createFile answers false when a file cannot be made (it waits and tries again itself).
            return false;
        }
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        if (getBase().getName().endsWith(TRACE_SUFFIX)) {
            // What H2 would note there is thrown to backprop as well, which tells the user what matters.
            return OutputStream.nullOutputStream();
        }
        createMissing();
        return super.newOutputStream(append);
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        if (mode.contains("w")) {
            createMissing();
        }
        return super.open(mode);
    }

    private void createMissing() throws IOException {
        Path p = path();
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
            OwnerOnlyFiles.createFolders(parent);
        }
        OwnerOnlyFiles.createFile(p);
    }

    private Path path() {
        try {
            return Path.of(getBase().toString().startsWith("file:") ? getBase().toString().substring("file:".length()) : getBase().toString());
        } catch (java.nio.file.InvalidPathException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }
}
