package org.backprop.cli;

import java.io.PrintWriter;
import org.backprop.training.TrainingProgress;

/** Shows epochs done, rate and time left on a terminal, once a run has taken more than about a second. */
final class TerminalProgress implements TrainingProgress {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REFRESH_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final long start = System.nanoTime();
    private long lastShown;
    private boolean shown;

    private TerminalProgress(PrintWriter err) {
        this.err = err;
    }

    /** A display on the terminal, or none when output is not a terminal or the user asked for quiet. */
    static TerminalProgress forTerminal(boolean quiet, PrintWriter err) {
        return new TerminalProgress(quiet || System.console() == null ? null : err);
    }

    @Override
    public void epochDone(int epoch, int total, double loss) {
        if (err == null) {
            return;
        }
        // Look at the clock only every 256 epochs: long runs do hundreds of thousands a second.
        if ((epoch & 255) != 0 && epoch + 1 != total) {
            return;
        }
        long now = System.nanoTime();
        if (now - start < SHOW_AFTER_NANOS || now - lastShown < REFRESH_NANOS) {
            return;
        }
        lastShown = now;
        shown = true;
        double seconds = (now - start) / 1e9;
        double rate = (epoch + 1) / seconds;
        double left = (total - epoch - 1) / rate;
        err.printf("\repoch %,d of %,d (%.0f%%)  %,.0f epochs/s  %.0f s left  loss %.6g   ", epoch + 1, total,
                100.0 * (epoch + 1) / total, rate, left, loss);
        err.flush();
    }

    void finish() {
        if (shown) {
            err.print("\r" + " ".repeat(79) + "\r");
            err.flush();
        }
    }
}
