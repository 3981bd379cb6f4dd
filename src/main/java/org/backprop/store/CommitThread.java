package org.backprop.store;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link BlockWriter} on a thread of its own, so that a run's inserts and commits overlap with the training and
 * hashing of the next epochs. At most {@value #QUEUE_BYTES} bytes of sealed rows wait for it: a trainer faster than
 * the disk waits instead of filling the heap. A failure of the writer is thrown to the trainer at its next call.
 */
final class CommitThread {
    static final int QUEUE_BYTES = 2 * BlockWriter.COMMIT_BYTES;

    private final BlockWriter writer;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Semaphore room = new Semaphore(QUEUE_BYTES);
    private final Thread thread;
    private volatile RuntimeException failure;
    private volatile boolean stopping;

    private record Task(Runnable work, CompletableFuture<Void> done) {
    }

    private static final Object STOP = new Object();

    CommitThread(BlockWriter writer, long runId) {
        this.writer = writer;
        this.thread = new Thread(this::serve, "backprop-commit-run-" + runId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a sealed row over, waiting while too many bytes wait already. */
    void put(BlockWriter.Block block) {
        throwFailure();
        room.acquireUninterruptibly(permits(block));
        throwFailure();
        queue.add(block);
    }

    /** Runs the work on the writer's thread after the rows handed over before it, and waits for it. */
    void call(Runnable work) {
        throwFailure();
        Task task = new Task(work, new CompletableFuture<>());
        queue.add(task);
        try {
            task.done().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Stops the thread once it has done what was handed over before; the writer's connection stays open. */
    void stop() {
        stopping = true;
        queue.add(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static int permits(BlockWriter.Block block) {
        return Math.min(block.payload().length, QUEUE_BYTES);
    }

    private void throwFailure() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        if (stopping) {
            throw new IllegalStateException(thread.getName() + " has stopped: the recorder is closed");
        }
    }

    private void serve() {
        while (true) {
            Object item;
            try {
                item = queue.poll(failure == null ? Math.max(1, writer.nanosUntilDue()) : Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                fail(new StoreException("the commit thread of a run was interrupted", e));
                continue;
            }
            if (item == STOP) {
                return;
            }
            try {
                switch (item) {
                    case Task task when failure != null -> task.done().completeExceptionally(failure);
                    case Task task -> {
                        task.work().run();
                        task.done().complete(null);
                    }
                    case BlockWriter.Block block -> {
                        room.release(permits(block));
                        if (failure == null) {
                            writer.add(block);
                        }
                    }
                    case null -> {
                        if (failure == null) {
                            writer.commitIfDue();
                        }
                    }
                    default -> throw new IllegalStateException("unexpected item for the commit thread: " + item);
                }
            } catch (RuntimeException | Error e) {
                // Any failure of the writer ends the recording; the trainer is told at its next call.
                RuntimeException r = e instanceof RuntimeException re ? re : new StoreException("the commit thread of a run failed: " + e, e);
                fail(r);
                if (item instanceof Task task) {
                    task.done().completeExceptionally(r);
                }
            }
        }
    }

    boolean failed() {
        return failure != null;
    }

    private void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
        // Wakes a trainer waiting for room; it then sees the failure.
        room.release(QUEUE_BYTES);
    }
}
