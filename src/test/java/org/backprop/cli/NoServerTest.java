package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server URL where nothing answers is said so at once, not after a minute of H2 trying again. */
class NoServerTest {
    @TempDir
    Path dir;

    @Test
    void aPortWhereNoServerAnswersIsNamedWithHowToStartOne() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        long start = System.nanoTime();
        Cli.Result r = new Cli(dir).run("runs", "--db", "jdbc:h2:tcp://localhost:" + port + "/lab");
        double seconds = (System.nanoTime() - start) / 1e9;
        // The URL given names no server: bad input, nothing written anywhere.
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("backprop: no server answers at localhost:" + port + " (Connection refused): start one there with"
                + " 'backprop server --dir FOLDER --port " + port + "', or check the host and port in --db"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        // Not a performance figure: the difference between answering and retrying for a minute, with room for a slow machine.
        assertTrue(seconds < 15, "answered after " + seconds + " s");
    }
}
