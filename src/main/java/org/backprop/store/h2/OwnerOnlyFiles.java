package org.backprop.store.h2;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files only their owner may read or write (mode 0600, folders 0700). Java has no umask, so every file the store makes
 * is created with these permissions from the start rather than narrowed afterwards; on a file system without POSIX
 * permissions the files are created as the system creates them.
 */
public final class OwnerOnlyFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {
    }

    /** Creates an empty file only its owner may read or write; false if it exists already. */
    public static boolean createFile(Path file) throws IOException {
        try {
            if (POSIX) {
                Files.createFile(file, attribute(FILE));
            } else {
                Files.createFile(file);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Creates the folder and any missing parents, those it creates open to their owner only. */
    public static void createFolders(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path parent = folder.toAbsolutePath().getParent();
        if (parent != null) {
            createFolders(parent);
        }
        try {
            if (POSIX) {
                Files.createDirectory(folder, attribute(FOLDER));
            } else {
                Files.createDirectory(folder);
            }
        } catch (FileAlreadyExistsException e) {
            // Made meanwhile by another process: fine, if it is a folder.
            if (!Files.isDirectory(folder)) {
                throw e;
            }
        }
    }

    /**
     * Writes the file whole or not at all, readable by its owner only: the bytes go to a private temporary file beside
     * it that then replaces it.
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temporary);
        createFile(temporary);
        try {
            Files.write(temporary, content);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Takes group and other users' permissions away from a file this process owns; true if it had any. */
    public static boolean restrict(Path file) throws IOException {
        if (!POSIX || !Files.exists(file, LinkOption.NOFOLLOW_LINKS) || !isOurs(file)) {
            return false;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (now.stream().noneMatch(OTHERS::contains)) {
            return false;
        }
        Set<PosixFilePermission> narrowed = EnumSet.copyOf(now);
        narrowed.removeAll(OTHERS);
        Files.setPosixFilePermissions(file, narrowed);
        return true;
    }

    /**
     * Why the file may not be trusted with secrets, if it may not: it belongs to another user, or other users may read
     * or change it.
     */
    public static Optional<String> whyNotPrivate(Path file) throws IOException {
        if (!POSIX) {
            return Optional.empty();
        }
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!isOurs(a.owner())) {
            return Optional.of("it belongs to " + a.owner().getName() + ", not to " + System.getProperty("user.name"));
        }
        if (a.permissions().stream().anyMatch(OTHERS::contains)) {
            return Optional.of("other users may read or change it (mode " + PosixFilePermissions.toString(a.permissions()) + ")");
        }
        return Optional.empty();
    }

    /** The first line of a file holding a secret, refused when the file is not private. */
    public static String readSecret(Path file) throws IOException {
        Optional<String> unsafe = whyNotPrivate(file);
        if (unsafe.isPresent()) {
            throw new IOException(file + " holds a secret but is not private (" + unsafe.get() + "): chmod 600 " + file);
        }
        return Files.readAllLines(file).stream().findFirst().orElse("").strip();
    }

    private static boolean isOurs(Path file) throws IOException {
        return isOurs(Files.getOwner(file, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean isOurs(UserPrincipal owner) {
        UserPrincipal us = ThisUser.PRINCIPAL;
        // No way to tell who this process is: trust the permissions alone.
        return us == null || owner.equals(us);
    }

    /** The user this process runs as, looked up once. */
    private static final class ThisUser {
        static final UserPrincipal PRINCIPAL = lookUp();

        private static UserPrincipal lookUp() {
            try {
                return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
