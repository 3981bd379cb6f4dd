package org.backprop.store.h2;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Properties;
import org.backprop.store.StoreLocation;

/**
 * Whether another process holds a file store open and serves it (AUTO_SERVER): its lock file names the port it
 * serves on, and a process that was killed leaves the file behind with nobody listening there. Asking the port
 * takes a millisecond; H2's own check of a stale lock waits seconds and then takes the store over, writing to it.
 */
final class StoreHolder {
    private static final int CONNECT_MILLIS = 500;

    private StoreHolder() {
    }

    private static final long RECENT_MILLIS = 10_000;

    private static boolean isRecent(StoreLocation location) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(location.lockFile()).toMillis() < RECENT_MILLIS;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isServing(StoreLocation location) {
        Properties lock = new Properties();
        try (Reader in = Files.newBufferedReader(location.lockFile(), StandardCharsets.ISO_8859_1)) {
            lock.load(in);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | IllegalArgumentException e) {
            // A lock file being written or unreadable: someone is at it, so go through H2's own protocol.
            return true;
        }
        String server = lock.getProperty("server");
        if (server == null) {
            // Held without a server, or by a holder still starting one; a file no one has touched for a while (left
            // empty by a process that died, say) holds nothing.
            return isRecent(location);
        }
        int colon = server.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1))), CONNECT_MILLIS);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
