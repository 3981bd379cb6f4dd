package org.backprop.model;

/** The squared-error loss of the tutorial: ½(target − output)² per output, summed over outputs, averaged over samples. */
public final class Loss {
    private Loss() {
    }

    public static double outputError(double target, double actual) {
        double d = target - actual;
        return 0.5 * d * d;
    }

    /** ∂E/∂a for one output: −(target − actual). */
    public static double outputGradient(double target, double actual) {
        return -(target - actual);
    }
}
