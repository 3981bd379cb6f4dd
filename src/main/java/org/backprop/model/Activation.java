package org.backprop.model;

import java.util.Locale;

/** An activation function with the derivative backpropagation needs, written in terms of the neuron's net input and activation. */
public enum Activation {
    SIGMOID {
        @Override public double apply(double net) { return 1.0 / (1.0 + Math.exp(-net)); }
        // The seed's σ'(o) = a(1 − a): the derivative from the activation itself.
        @Override public double derivative(double net, double activation) { return activation * (1.0 - activation); }
    },
    TANH {
        @Override public double apply(double net) { return Math.tanh(net); }
        @Override public double derivative(double net, double activation) { return 1.0 - activation * activation; }
    },
    RELU {
        @Override public double apply(double net) { return net > 0.0 ? net : 0.0; }
        @Override public double derivative(double net, double activation) { return net > 0.0 ? 1.0 : 0.0; }
    },
    IDENTITY {
        @Override public double apply(double net) { return net; }
        @Override public double derivative(double net, double activation) { return 1.0; }
    };

    public abstract double apply(double net);

    public abstract double derivative(double net, double activation);

    /** The lower-case name used in configuration files and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Activation parse(String label) {
        for (Activation a : values()) {
            if (a.label().equals(label)) {
                return a;
            }
        }
        throw new InvalidNetworkException("unknown activation '" + label + "': use one of sigmoid, tanh, relu, identity");
    }
}
