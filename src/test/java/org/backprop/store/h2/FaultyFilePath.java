package org.backprop.store.h2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * A file system for H2 ({@code jdbc:h2:faulty:/path/store}) that fails store files the way disks do, as SQLite's
 * test suite does: the Nth write fails, the device fills up after N bytes (what fits is written), or the Nth write
 * is torn (its first half reaches the file, then the process is as good as dead: every later write fails too). Only
 * {@code .mv.db} files are touched; the plan is global and set by the test.
 */
public final class FaultyFilePath extends FilePathWrapper {
    /** How the disk fails. */
    public enum Mode {
        NONE, COUNT, FAIL_NTH_WRITE, FULL_AFTER_BYTES, TEAR_NTH_WRITE
    }

    private static volatile Mode mode = Mode.NONE;
    private static volatile long n;
    private static long writes;
    private static long bytes;
    private static boolean dead;

    static {
        FilePath.register(new FaultyFilePath());
    }

    /** Arms the plan and starts counting from zero. */
    public static synchronized void plan(Mode m, long value) {
        mode = m;
        n = value;
        writes = 0;
        bytes = 0;
        dead = false;
    }

    /** Writes made to store files since the plan was armed. */
    public static synchronized long writes() {
        return writes;
    }

    /** The URL prefix that sends a file store through this file system. */
    public static String prefix() {
        return "jdbc:h2:faulty:";
    }

    @Override
    public String getScheme() {
        return "faulty";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel base = super.open(mode);
        return name.endsWith(".mv.db") ? new FaultyFile(base) : base;
    }

    /** Decides what the next write of {@code length} bytes does: how many of its bytes reach the file, or all of them. */
    private static synchronized int allowed(int length) throws IOException {
        if (dead) {
            throw new IOException("injected: the process died at an earlier torn write");
        }
        writes++;
        switch (mode) {
            case FAIL_NTH_WRITE -> {
                if (writes == n) {
                    throw new IOException("injected I/O error at write " + writes);
                }
            }
            case TEAR_NTH_WRITE -> {
                if (writes == n) {
                    dead = true;
                    return length / 2;
                }
            }
            case FULL_AFTER_BYTES -> {
                if (bytes + length > n) {
                    int fits = (int) Math.max(0, n - bytes);
                    bytes += fits;
                    return fits;
                }
            }
            default -> { }
        }
        bytes += length;
        return length;
    }

    private static final class FaultyFile extends FileBase {
        private final FileChannel base;

        FaultyFile(FileChannel base) {
            this.base = base;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            int length = src.remaining();
            int fits = allowed(length);
            if (fits == length) {
                return base.write(src, position);
            }
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + fits);
            base.write(part, position);
            src.position(src.position() + fits);
            throw new IOException(mode == Mode.FULL_AFTER_BYTES ? "No space left on device" : "injected: torn write, then the process died");
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int written = write(src, base.position());
            base.position(base.position() + written);
            return written;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
