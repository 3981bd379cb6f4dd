package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backprop ui} answers bad input with one sentence, exit code 2, and creates nothing. */
class UiCommandTest {
    @TempDir
    Path dir;

    @Test
    void aStoreThatDoesNotExistIsNamedAndNotCreated() {
        Cli.Result r = new Cli(dir).run("ui");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("backprop: there is no store at "), r.err());
        assertEquals(1, r.err().lines().count());
        assertFalse(Files.exists(dir.resolve("store.mv.db")));
    }

    private Cli trained() {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "-q").exitCode());
        return cli;
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        Cli.Result r = trained().run("ui", "--port", "70000");
        assertEquals(2, r.exitCode());
        assertEquals("backprop: the port is 70000: give one from 1 to 65535, or 0 for any free port", r.err().strip());
    }

    @Test
    void anUnknownHostIsRefused() {
        Cli.Result r = trained().run("ui", "--host", "no-such-host.invalid");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("backprop: --host no-such-host.invalid is not an address of this machine"), r.err());
    }

    @Test
    void itsHelpSaysHowToOpenIt() {
        Cli.Result r = new Cli(dir).run("ui", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("open: http://127.0.0.1:PORT/?token="), r.out());
        assertTrue(r.out().contains("--host"), r.out());
    }
}
