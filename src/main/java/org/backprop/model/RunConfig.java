package org.backprop.model;

/**
 * Everything that determines a training run: the network, the data, the starting parameters, the learning rate and
 * the number of epochs. Two runs with equal configurations produce bit-identical values.
 *
 * @param weightSeed the seed the starting parameters were drawn from, or null when they were given explicitly
 * @param untilLoss the run ends, completed, after the first epoch whose loss is below this; null to train every epoch
 */
public record RunConfig(String name, Network network, Dataset data, Parameters initial, Long weightSeed,
                        double learningRate, int epochs, Double untilLoss) {

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
        if (untilLoss != null) {
            checkUntilLoss(untilLoss);
        }
        data.checkFits(network);
        initial.checkFits(network);
    }

    /** A run of every planned epoch. */
    public RunConfig(String name, Network network, Dataset data, Parameters initial, Long weightSeed, double learningRate, int epochs) {
        this(name, network, data, initial, weightSeed, learningRate, epochs, null);
    }

    public static void checkUntilLoss(double loss) {
        if (!Double.isFinite(loss) || loss <= 0.0) {
            throw new InvalidNetworkException("the loss to stop at is " + loss + ": give a finite number greater than 0, such as --until-loss 1e-4");
        }
    }

    /** Whether the run stops after an epoch of this loss, before its planned end. */
    public boolean stopsAt(double loss) {
        return untilLoss != null && loss < untilLoss;
    }

    /** Why a run stopped after {@code epoch} before its planned end: recorded with its end, and expected by verify. */
    public String stopReason(int epoch, double loss) {
        return "stopped early: the loss " + loss + " of epoch " + epoch + " is below --until-loss " + untilLoss;
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
        return new RunConfig(newName, network, data, initial, weightSeed, learningRate, epochs, untilLoss);
    }

    public RunConfig withLearningRate(double rate) {
        return new RunConfig(name, network, data, initial, weightSeed, rate, epochs, untilLoss);
    }

    public RunConfig withEpochs(int count) {
        return new RunConfig(name, network, data, initial, weightSeed, learningRate, count, untilLoss);
    }

    public RunConfig withInitial(Parameters start, Long seed) {
        return new RunConfig(name, network, data, start, seed, learningRate, epochs, untilLoss);
    }

    public RunConfig withUntilLoss(Double loss) {
        return new RunConfig(name, network, data, initial, weightSeed, learningRate, epochs, loss);
    }
}
