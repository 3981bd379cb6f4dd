package org.backprop.cli;

import java.io.PrintWriter;
import org.backprop.training.TrainingProgress;

/** Shows epochs done, rate and time left on a terminal, once a run has taken more than about a second. */
final class TerminalProgress implements TrainingProgress {
    static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    static final long REFRESH_NANOS = 200_000_000L;

    private final PrintWriter err;
    private long start = System.nanoTime();
    /** The epoch training started from here: a resumed run's rate counts only the epochs it trained. */
    private int from;
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
    public void runStarted(org.backprop.events.RunStarted started, int from) {
        this.from = from;
        this.start = System.nanoTime();
    }

    @Override
    public void epochDone(int epoch, int total, double loss) {
        if (err == null) {
            return;
        }
        if (!worthALook(epoch, total)) {
            return;
        }
        long now = System.nanoTime();
        if (now - start < SHOW_AFTER_NANOS || now - lastShown < REFRESH_NANOS) {
            return;
        }
        lastShown = now;
        shown = true;
        show(err, "epoch", epoch + 1, epoch + 1 - from, total, now - start, String.format("loss %.6g", loss));
    }

    /** Whether to look at the clock after this epoch: every 256 epochs (long runs do hundreds of thousands a second), and after the last. */
    static boolean worthALook(int epoch, int total) {
        return (epoch & 255) == 0 || epoch + 1 == total;
    }

    /**
     * One line, rewritten in place: how many of how many, the rate, the time left and a last word; the rate counts the
     * {@code doneHere} of the {@code done} that were done in these {@code nanos}.
     */
    static void show(PrintWriter err, String what, long done, long doneHere, long total, long nanos, String tail) {
        double rate = doneHere / (nanos / 1e9);
        double left = (total - done) / rate;
        err.printf("\r%s %,d of %,d (%.0f%%)  %,.0f epochs/s  %.0f s left  %s   ", what, done, total, 100.0 * done / total, rate, left, tail);
        err.flush();
    }

    void finish() {
        if (shown) {
            clear(err);
        }
    }

    /** Blanks the line a display left, so what follows starts clean. */
    static void clear(PrintWriter err) {
        err.print("\r" + " ".repeat(79) + "\r");
        err.flush();
    }
}
