package org.backprop.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        return named(base.name(), "-lr" + rate);
    }

    /** {@code name + suffix}, the name shortened so that the whole fits a run name's 200 characters. */
    static String named(String name, String suffix) {
        return (name.length() + suffix.length() <= 200 ? name : name.substring(0, 200 - suffix.length())) + suffix;
    }

    /**
     * A name the tool makes for a run, unique in the store: {@code name} when no run has it, else with {@code again}
     * (such as "-sweep2") and then a number added, so that a run named by the tool can always be named back.
     */
    static String unique(Set<String> taken, String name, String again) {
        if (taken.add(name)) {
            return name;
        }
        String other = named(name, again);
        for (int n = 2; !taken.add(other); n++) {
            other = named(name, again + "-" + n);
        }
        return other;
    }

    /** Records and trains the sweep; every rate is checked before anything is recorded. */
    public SweepResult run(RunConfig base, List<Double> rates, boolean chained) {
        return run(base, rates, chained, SweepProgress.NONE);
    }

    /** The same, telling {@code progress} of every epoch of every run. */
    public SweepResult run(RunConfig base, List<Double> rates, boolean chained, SweepProgress progress) {
        checkRates(rates);
        long sweepId = store.newSweep(chained);
        List<RunConfig> configs = configs(sweepId, base, rates);
        return chained ? chained(sweepId, configs, progress) : independent(sweepId, configs, progress);
    }

    /**
     * Records an independent sweep without training it: its runs are planned, for workers to claim and train (see
     * {@link Worker}), each from the base configuration's initial weights.
     */
    public SweepResult queue(RunConfig base, List<Double> rates) {
        checkRates(rates);
        long sweepId = store.newSweep(false);
        store.queueSweep(sweepId, configs(sweepId, base, rates));
        return SweepResult.recorded(store, sweepId).orElseThrow();
    }

    private static void checkRates(List<Double> rates) {
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one learning rate");
        }
    }

    /** The sweep's run configurations, one per rate, under names unique in the store. */
    private List<RunConfig> configs(long sweepId, RunConfig base, List<Double> rates) {
        List<RunConfig> configs = new ArrayList<>(rates.size());
        for (double rate : rates) {
            configs.add(base.withLearningRate(rate));
        }
        Set<String> taken = new HashSet<>();
        store.runs(false).forEach(r -> taken.add(r.name()));
        configs.replaceAll(c -> c.withName(unique(taken, runName(base, c.learningRate()), "-sweep" + sweepId)));
        return configs;
    }

    private SweepResult independent(long sweepId, List<RunConfig> configs, SweepProgress progress) {
        // Started one after another, so run ids follow the order of the rates whatever order the runs finish in.
        List<RunRecorder> recorders = new ArrayList<>(configs.size());
        try {
            for (RunConfig config : configs) {
                RunRecorder recorder = store.start(config, null, sweepId);
                recorders.add(recorder);
                progress.runStarted(recorders.size() - 1, recorder.started());
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
                TrainingProgress runProgress = forRun(progress, i, false);
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

    private SweepResult chained(long sweepId, List<RunConfig> configs, SweepProgress progress) {
        List<SweepRun> runs = new ArrayList<>();
        Trainer trainer = new Trainer(store);
        Fork fork = new Fork(store);
        TrainingOutcome previous = null;
        int i = 0;
        for (; i < configs.size(); i++) {
            RunConfig config = configs.get(i);
            TrainingOutcome outcome;
            if (previous == null) {
                outcome = trainer.train(config, null, sweepId, forRun(progress, i, true));
            } else {
                ForkRequest request = new ForkRequest(previous.started().runId(), previous.epochsRecorded(),
                        config.learningRate(), config.epochs(), config.name());
                outcome = fork.run(request, sweepId, forRun(progress, i, true));
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

    /**
     * The progress of one run of the sweep; {@code startsHere} when the run is started by training it (chained), rather
     * than before, in the order of the rates (independent), where the sweep says so itself.
     */
    private static TrainingProgress forRun(SweepProgress progress, int run, boolean startsHere) {
        if (progress == SweepProgress.NONE) {
            return TrainingProgress.NONE;
        }
        return new TrainingProgress() {
            @Override
            public void runStarted(org.backprop.events.RunStarted started, int from) {
                if (startsHere) {
                    progress.runStarted(run, started);
                }
            }

            @Override
            public void epochDone(int epoch, int total, double loss) {
                progress.epochDone(run, epoch, total, loss);
            }
        };
    }
}
