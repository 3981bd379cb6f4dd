package org.backprop.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.backprop.sweep.SweepProgress;

/** Shows a sweep's epochs done over all its runs, runs finished, rate and time left, once it has taken over a second. */
final class TerminalSweepProgress implements SweepProgress {
    private final PrintWriter err;
    /** Where each run's header line goes as it starts (a table's output), or null. */
    private final PrintWriter headers;
    private final int[] planned;
    private final long total;
    private final AtomicIntegerArray done;
    private final long start = System.nanoTime();
    private volatile long lastShown;
    private boolean shown;

    private TerminalSweepProgress(PrintWriter err, List<Integer> planned, PrintWriter headers) {
        this.err = err;
        this.headers = headers;
        this.planned = planned.stream().mapToInt(Integer::intValue).toArray();
        this.total = planned.stream().mapToLong(Integer::longValue).sum();
        this.done = new AtomicIntegerArray(this.planned.length);
    }

    /**
     * A display on the terminal for runs of the given planned lengths, or none when quiet or not on a terminal; each
     * run's header line goes to {@code headers} as the run starts, unless it is null.
     */
    static TerminalSweepProgress forTerminal(boolean quiet, PrintWriter err, List<Integer> planned, PrintWriter headers) {
        return new TerminalSweepProgress(quiet || System.console() == null ? null : err, planned, headers);
    }

    @Override
    public synchronized void runStarted(int run, org.backprop.events.RunStarted started) {
        if (headers == null) {
            return;
        }
        if (shown) {
            TerminalProgress.clear(err);
        }
        headers.println(RunReport.header(started));
        headers.flush();
    }

    @Override
    public void epochDone(int run, int epoch, int total, double loss) {
        if (err == null || !TerminalProgress.worthALook(epoch, total)) {
            return;
        }
        done.set(run, epoch + 1);
        long now = System.nanoTime();
        if (now - start < TerminalProgress.SHOW_AFTER_NANOS || now - lastShown < TerminalProgress.REFRESH_NANOS) {
            return;
        }
        synchronized (this) {
            if (now - lastShown < TerminalProgress.REFRESH_NANOS) {
                return;
            }
            lastShown = now;
            shown = true;
            long sum = 0;
            int finished = 0;
            for (int i = 0; i < planned.length; i++) {
                sum += done.get(i);
                finished += done.get(i) == planned[i] ? 1 : 0;
            }
            TerminalProgress.show(err, "sweep: epoch", sum, sum, this.total, now - start, finished + " of " + planned.length + " runs done");
        }
    }

    /** Clears the line, if one was shown. */
    synchronized void finish() {
        if (shown) {
            TerminalProgress.clear(err);
        }
    }
}
