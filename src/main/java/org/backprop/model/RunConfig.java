package org.backprop.model;

/**
 * Everything that determines a training run: the network, the data, the starting parameters, the learning rate and
 * the number of epochs. Two runs with equal configurations produce bit-identical values.
 *
 * @param weightSeed the seed the starting parameters were drawn from, or null when they were given explicitly
 */
public record RunConfig(String name, Network network, Dataset data, Parameters initial, Long weightSeed,
                        double learningRate, int epochs) {

    /** Beyond this a run would take days and fill the disk; a mistyped epoch count is likelier than a real need. */
    public static final int MAX_EPOCHS = 100_000_000;

    public RunConfig {
        if (name == null || name.isBlank()) {
            throw new InvalidNetworkException("the run needs a name: give --name or \"name\"");
        }
        if (name.length() > 200) {
            throw new InvalidNetworkException("the run name has " + name.length() + " characters; the limit is 200");
        }
        checkLearningRate(learningRate);
        checkEpochs(epochs);
        data.checkFits(network);
        initial.checkFits(network);
    }

    public static void checkLearningRate(double rate) {
        if (!Double.isFinite(rate) || rate <= 0.0) {
            throw new InvalidNetworkException("the learning rate is " + rate + ": give a finite number greater than 0, such as --lr 0.1");
        }
    }

    public static void checkEpochs(long epochs) {
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new InvalidNetworkException("the number of epochs is " + epochs + ": give a whole number from 1 to " + MAX_EPOCHS);
        }
    }

    /** The tutorial's run: its network, sample and weights, learning rate 0.1, 100 epochs. */
    public static RunConfig seed() {
        return new RunConfig("seed", Network.seed(), Dataset.seed(), Parameters.seed(), null, 0.1, 100);
    }

    public RunConfig withName(String newName) {
        return new RunConfig(newName, network, data, initial, weightSeed, learningRate, epochs);
    }

    public RunConfig withLearningRate(double rate) {
        return new RunConfig(name, network, data, initial, weightSeed, rate, epochs);
    }

    public RunConfig withEpochs(int count) {
        return new RunConfig(name, network, data, initial, weightSeed, learningRate, count);
    }

    public RunConfig withInitial(Parameters start, Long seed) {
        return new RunConfig(name, network, data, start, seed, learningRate, epochs);
    }
}
