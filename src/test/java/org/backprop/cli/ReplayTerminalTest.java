package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --step} on a real terminal: the command runs under {@code script}, which gives it a pseudo-terminal,
 * and the test types at it one key at a time, as a person would, without Enter.
 */
@Tag("slow")
class ReplayTerminalTest {
    @TempDir
    Path dir;

    @Test
    void onATerminalEachKeyMovesAtOnceAndEachEpochIsDrawnInPlace() throws Exception {
        String db = dir.resolve("store").toString();
        assertEquals(0, new Cli(dir).run("train", "--db", db, "-q").exitCode());
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + javaBin + "' -cp '" + System.getProperty("java.class.path") + "' org.backprop.cli.Main replay 1 --step --db '" + db + "'";
        Process p = new ProcessBuilder("script", "-qfec", command, "/dev/null").redirectErrorStream(true).start();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().start(() -> copy(p.getInputStream(), screen));
        OutputStream keys = p.getOutputStream();
        awaitPrompt(screen, "epoch 0 of 0..99");
        type(keys, screen, "n", "epoch 1 of 0..99");
        type(keys, screen, "n", "epoch 2 of 0..99");
        type(keys, screen, "b", "epoch 1 of 0..99");
        type(keys, screen, "\033[C", "epoch 2 of 0..99");
        type(keys, screen, "42\r", "epoch 42 of 0..99");
        type(keys, screen, "q", null);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "q ends the replay");
        reader.join(5000);
        assertEquals(0, p.exitValue());
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertEquals(6, shown.split("\033\\[2J", -1).length - 1, "each of the six epochs shown is drawn on a cleared screen: " + shown);
        String last = shown.substring(shown.lastIndexOf("\033[2J"));
        assertTrue(last.contains("run 1 'seed': network 2-2-2"), "the run's header stays above the epoch: " + last);
        assertTrue(last.contains("epoch 42\r\n"), last);
        assertTrue(java.util.regex.Pattern.compile(" before +delta +after\r\n").matcher(last).find(), "the update columns are labelled: " + last);
        assertFalse(shown.contains("> n"), "keys are not echoed: " + shown);
    }

    private static void type(OutputStream keys, ByteArrayOutputStream screen, String typed, String prompt) throws Exception {
        keys.write(typed.getBytes(StandardCharsets.UTF_8));
        keys.flush();
        if (prompt != null) {
            awaitPrompt(screen, prompt);
        }
    }

    private static void awaitPrompt(ByteArrayOutputStream screen, String prompt) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!screen.toString(StandardCharsets.UTF_8).endsWith(prompt + " - Enter: next, b: back, a number: jump, q: quit > ")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no prompt '" + prompt + "' within 30 s; the screen: " + screen.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (java.io.IOException e) {
            // The terminal closed.
        }
    }
}
