package org.backprop.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The terminal in key-at-a-time mode (no Enter needed, keys not echoed), as {@code stty} sets it, put back as it was
 * when closed (and when the process is stopped). Without a terminal, or without {@code stty}, there is none.
 */
final class RawTerminal implements AutoCloseable {
    private static final File TTY = new File("/dev/tty");
    private final String saved;
    private final Thread restoreAtExit;
    private final InputStream keys;
    private final PrintStream screen;

    private RawTerminal(String saved, InputStream keys, PrintStream screen) {
        this.saved = saved;
        this.keys = keys;
        this.screen = screen;
        this.restoreAtExit = new Thread(this::restore, "restore-terminal");
        Runtime.getRuntime().addShutdownHook(restoreAtExit);
    }

    /** The terminal in key-at-a-time mode, or empty when this process has none it can set. */
    static Optional<RawTerminal> enter(InputStream keys, PrintStream screen) {
        if (System.console() == null || !TTY.canRead()) {
            return Optional.empty();
        }
        Optional<String> saved = stty("-g");
        if (saved.isEmpty() || stty("-icanon", "-echo", "min", "1", "time", "0").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RawTerminal(saved.get().strip(), keys, screen));
    }

    /** The next key: a character, or Stepper's names for the arrow keys; -1 at the end of input. */
    int read() throws IOException {
        int k = keys.read();
        if (k != 27) {
            return k;
        }
        // An arrow key arrives as ESC [ C (right) or ESC [ D (left).
        if (keys.read() != '[') {
            return 0;
        }
        return switch (keys.read()) {
            case 'C' -> org.backprop.replay.Stepper.NEXT;
            case 'D' -> org.backprop.replay.Stepper.BACK;
            default -> 0;
        };
    }

    /** Clears the screen, so that the next epoch is drawn in place of the last. */
    void clear() {
        screen.print("\033[H\033[2J");
        screen.flush();
    }

    /** Goes back to the start of the line and clears it, so that a prompt is drawn again in place. */
    void clearLine() {
        screen.print("\r\033[K");
        screen.flush();
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook restores it.
        }
    }

    private void restore() {
        stty(saved);
    }

    private static Optional<String> stty(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "stty";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), Charset.defaultCharset());
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
