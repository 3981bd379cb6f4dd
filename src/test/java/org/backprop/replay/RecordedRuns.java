package org.backprop.replay;

import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.RunRecorder;
import org.backprop.model.Activation;
import org.backprop.model.Backprop;
import org.backprop.model.Dataset;
import org.backprop.model.EpochResult;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/** Runs the replay, verify and export tests record: shapes the seed's run does not cover. */
public final class RecordedRuns {
    private RecordedRuns() {
    }

    /** xor on 2-3-1 (tanh, sigmoid) with trained biases and four samples, weights drawn from seed 42. */
    public static RunConfig xor(int epochs) {
        Network network = new Network(new int[] {2, 3, 1}, List.of(Activation.TANH, Activation.SIGMOID), true, true);
        Dataset data = new Dataset(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new double[][] {{0}, {1}, {1}, {0}});
        return new RunConfig("xor", network, data, Parameters.random(network, 42), 42L, 0.5, epochs);
    }

    /** Records a run whose writer stopped after {@code epochs} of 500 planned without an end event, as a killed process leaves it. */
    public static void cutShort(EventStore store, int epochs) {
        RunConfig cut = RunConfig.seed().withName("cut-short").withLearningRate(0.3).withEpochs(500);
        try (RunRecorder recorder = store.start(cut, null, null)) {
            Parameters p = cut.initial();
            for (int epoch = 0; epoch < epochs; epoch++) {
                EpochResult r = Backprop.epoch(cut.network(), cut.data(), p, cut.learningRate());
                recorder.append(new EpochRecorded(recorder.started().runId(), epoch, p, r.netInputs(), r.activations(), r.deltas(),
                        r.weightGradients(), r.biasGradients(), r.loss()));
                p = r.after();
            }
        }
    }
}
