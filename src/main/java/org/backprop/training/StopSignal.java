package org.backprop.training;

/**
 * Asks a running trainer to stop after the epoch it is computing (Ctrl-C does, in the CLI). The trainer asks once per
 * epoch, so answering must be cheap.
 */
@FunctionalInterface
public interface StopSignal {
    StopSignal NEVER = () -> false;

    boolean stopRequested();
}
