package org.backprop.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.backprop.training.StopSignal;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a run trains, turns Ctrl-C (SIGINT) and SIGTERM into a request to stop after the current epoch, so the command
 * can commit what it computed and say how to resume; a second signal exits at once.
 *
 * <p>A signal handler rather than a shutdown hook: once the JVM shuts down, H2's own hook closes the database (it must,
 * with AUTO_SERVER) at the same time as any hook of ours, and the last epochs could not be committed any more.
 */
final class SignalStop implements StopSignal, AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final Runnable onSignal;
    private volatile Signal received;

    private SignalStop(Runnable onSignal) {
        this.onSignal = onSignal;
    }

    static SignalStop install() {
        return install(() -> { });
    }

    /** The same, running {@code onSignal} too when the first signal arrives (to cancel a query where it runs, say). */
    static SignalStop install(Runnable onSignal) {
        SignalStop stop = new SignalStop(onSignal);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                stop.previous.put(signal, Signal.handle(signal, stop::receive));
            } catch (IllegalArgumentException e) {
                // The signal is ignored (a background job of a shell) or reserved (-Xrs): it cannot stop training, so
                // it keeps its usual meaning.
            }
        }
        return stop;
    }

    private void receive(Signal signal) {
        if (received != null) {
            // Asked twice: stop now. What was committed stays; the run is interrupted and can be resumed.
            System.exit(128 + signal.getNumber());
        }
        received = signal;
        onSignal.run();
    }

    @Override
    public boolean stopRequested() {
        return received != null;
    }

    /** The exit code a process ended by the signal would have: 130 for SIGINT, 143 for SIGTERM. */
    int exitCode() {
        return received == null ? 0 : 128 + received.getNumber();
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
