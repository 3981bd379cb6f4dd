package org.backprop.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.backprop.events.EventStore;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunFailed;
import org.backprop.model.RunConfig;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;

/**
 * Records one run per learning rate, grouped under a new sweep id. An independent sweep starts every rate from the
 * base configuration's initial weights and trains the runs in parallel; a chained sweep is a chain of forks, each
 * rate continuing from the previous run's final weights, as the seed tutorial's notebook did.
 */
public final class Sweeper {
    private final EventStore store;
    private final int threads;

    /** A sweeper that trains up to {@code threads} runs of an independent sweep at once. */
    public Sweeper(EventStore store, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a sweep needs at least one thread, not " + threads);
        }
        this.store = store;
        this.threads = threads;
    }

    /** The name of the sweep's run for one rate: the base name and the rate, as in "seed-lr0.1". */
    public static String runName(RunConfig base, double rate) {
        String suffix = "-lr" + rate;
        String name = base.name().length() + suffix.length() <= 200 ? base.name() : base.name().substring(0, 200 - suffix.length());
        return name + suffix;
    }

    /** Records and trains the sweep; every rate is checked before anything is recorded. */
    public SweepResult run(RunConfig base, List<Double> rates, boolean chained) {
        return run(base, rates, chained, SweepProgress.NONE);
    }

    /** The same, telling {@code progress} of every epoch of every run. */
    public SweepResult run(RunConfig base, List<Double> rates, boolean chained, SweepProgress progress) {
        List<RunConfig> configs = configs(base, rates);
        return chained ? chained(configs, progress) : independent(configs, progress);
    }

    /**
     * Records an independent sweep without training it: its runs are planned, for workers to claim and train (see
     * {@link Worker}), each from the base configuration's initial weights.
     */
    public SweepResult queue(RunConfig base, List<Double> rates) {
        long sweepId = store.queueSweep(configs(base, rates));
        return SweepResult.recorded(store, sweepId).orElseThrow();
    }

    private static List<RunConfig> configs(RunConfig base, List<Double> rates) {
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one learning rate");
        }
        List<RunConfig> configs = new ArrayList<>(rates.size());
        for (double rate : rates) {
            configs.add(base.withLearningRate(rate).withName(runName(base, rate)));
        }
        return configs;
    }

    private SweepResult independent(List<RunConfig> configs, SweepProgress progress) {
        long sweepId = store.newSweep(false);
        // Started one after another, so run ids follow the order of the rates whatever order the runs finish in.
        List<RunRecorder> recorders = new ArrayList<>(configs.size());
        try {
            for (RunConfig config : configs) {
                recorders.add(store.start(config, null, sweepId));
            }
        } catch (RuntimeException e) {
            recorders.forEach(RunRecorder::close);
            throw e;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, configs.size()));
        try {
            List<Future<TrainingOutcome>> futures = new ArrayList<>(recorders.size());
            for (int i = 0; i < recorders.size(); i++) {
                RunRecorder recorder = recorders.get(i);
                TrainingProgress runProgress = forRun(progress, i);
                futures.add(pool.submit(() -> {
                    try (recorder) {
                        return Trainer.run(recorder, recorder.started().config().initial(), runProgress);
                    }
                }));
            }
            RuntimeException failure = null;
            for (Future<TrainingOutcome> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("the sweep was interrupted", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdown();
        }
        List<SweepRun> runs = new ArrayList<>();
        for (RunRecorder recorder : recorders) {
            runs.add(SweepRun.load(store, recorder.started().runId()));
        }
        return new SweepResult(sweepId, false, runs, List.of());
    }

    private SweepResult chained(List<RunConfig> configs, SweepProgress progress) {
        long sweepId = store.newSweep(true);
        List<SweepRun> runs = new ArrayList<>();
        Trainer trainer = new Trainer(store);
        Fork fork = new Fork(store);
        TrainingOutcome previous = null;
        int i = 0;
        for (; i < configs.size(); i++) {
            RunConfig config = configs.get(i);
            TrainingOutcome outcome;
            if (previous == null) {
                outcome = trainer.train(config, null, sweepId, forRun(progress, i));
            } else {
                ForkRequest request = new ForkRequest(previous.started().runId(), previous.epochsRecorded(),
                        config.learningRate(), config.epochs(), config.name());
                outcome = fork.run(request, sweepId, forRun(progress, i));
            }
            runs.add(SweepRun.load(store, outcome.started().runId()));
            previous = outcome;
            if (outcome.end() instanceof RunFailed) {
                i++;
                break;
            }
        }
        List<Double> notRun = configs.subList(i, configs.size()).stream().map(RunConfig::learningRate).toList();
        return new SweepResult(sweepId, true, runs, notRun);
    }

    private static TrainingProgress forRun(SweepProgress progress, int run) {
        return progress == SweepProgress.NONE ? TrainingProgress.NONE : (epoch, total, loss) -> progress.epochDone(run, epoch, total, loss);
    }
}
