package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backprop.store.h2.StoreAccounts;

/** What the clients of a {@code backprop server} need: its port, once it listens, and a store's client credentials. */
final class ServerClients {
    private ServerClients() {
    }

    /** Waits until the server says it listens and returns its port. */
    static int awaitPort(CliProcess server) throws InterruptedException {
        CliProcess.await("the server listens", Duration.ofSeconds(60), () -> server.out().contains("stop it with Ctrl-C") || !server.isAlive());
        Matcher port = Pattern.compile("on port (\\d+) \\(").matcher(server.out());
        assertTrue(port.find(), server.out() + server.err());
        return Integer.parseInt(port.group(1));
    }

    /**
     * Writes what the README tells a server's owner to give a client: the app and reader lines of the store's
     * credentials file, never the owner's, in a file only its owner may read.
     */
    static Path clientCredentials(Path store, Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String role : new String[] {"app", "reader"}) {
            String[] account = StoreAccounts.credentials(store, role);
            b.append(role).append(".user=").append(account[0]).append('\n').append(role).append(".password=").append(account[1]).append('\n');
        }
        Files.writeString(file, b);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
