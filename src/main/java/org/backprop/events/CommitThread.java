package org.backprop.events;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a store's {@link BlockSink} on a thread of its own, so that a run's inserts and commits overlap with the training and
 * hashing of the next epochs. At most {@value #QUEUE_BYTES} bytes of sealed blocks wait for it or are being inserted (a
 * row bigger than that alone): a trainer faster than the disk waits instead of filling the heap. A failure of the
 * writer is thrown to the trainer at its next call, and so is the thread's end for any other reason.
 */
final class CommitThread {
    static final int QUEUE_BYTES = 8 * 1024 * 1024;
    /** How often a waiting trainer looks whether the thread is still there. */
    private static final long CHECK_MILLIS = 200;

    private final BlockSink writer;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Semaphore room = new Semaphore(QUEUE_BYTES);
    private final Thread thread;
    // Made up front: when the thread dies of an out-of-memory error, there may be no memory left to describe it.
    private final StoreException died;
    private volatile RuntimeException failure;
    private volatile boolean stopping;

    private record Task(Runnable work, CompletableFuture<Void> done) {
    }

    private static final Object STOP = new Object();

    CommitThread(BlockSink writer, long runId) {
        this.writer = writer;
        this.thread = new Thread(this::serve, "backprop-commit-run-" + runId);
        this.died = new StoreException("the thread committing run " + runId + " stopped unexpectedly: the run is interrupted;"
                + " 'backprop resume " + runId + "' continues it");
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a sealed row over, waiting while too many bytes wait already. */
    void put(SealedBlock block) {
        throwFailure();
        try {
            while (!room.tryAcquire(permits(block), CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                throwFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to hand epochs to the store", e);
        }
        throwFailure();
        queue.add(block);
    }

    /** Runs the work on the writer's thread after the rows handed over before it, and waits for it. */
    void call(Runnable work) {
        throwFailure();
        Task task = new Task(work, new CompletableFuture<>());
        queue.add(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.done().get(CHECK_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    throwFailure();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new StoreException(e.getCause().toString(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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

    boolean failed() {
        return failure != null;
    }

    private static int permits(SealedBlock block) {
        return Math.min(block.payload().length, QUEUE_BYTES);
    }

    private void throwFailure() {
        RuntimeException f = failure;
        if (f == null && !thread.isAlive() && !stopping) {
            f = failure = died;
        }
        if (f != null) {
            throw f;
        }
        if (stopping) {
            throw new IllegalStateException(thread.getName() + " has stopped: the recorder is closed");
        }
    }

    private void serve() {
        try {
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
                        case SealedBlock block -> {
                            try {
                                if (failure == null) {
                                    writer.add(block);
                                }
                            } finally {
                                // Only now: the bytes being inserted count against the queue's room too.
                                room.release(permits(block));
                            }
                        }
                        case null -> {
                            if (failure == null) {
                                writer.commitIfDue();
                            }
                        }
                        default -> throw new IllegalStateException("unexpected item for the commit thread: " + item);
                    }
                } catch (RuntimeException e) {
                    // Any failure of the writer ends the recording; the trainer is told at its next call.
                    fail(e);
                    if (item instanceof Task task) {
                        task.done().completeExceptionally(e);
                    }
                }
            }
        } catch (Throwable e) {
            // An error (out of memory, say): nothing more can be trusted to work here. The trainer is told, with the
            // error attached, instead of the JVM printing it from a thread nobody reads.
            try {
                died.addSuppressed(e);
            } catch (Throwable ignored) {
                // Only the detail is lost.
            }
            fail(died);
        } finally {
            if (failure != null) {
                for (Object item; (item = queue.poll()) != null; ) {
                    if (item instanceof Task task) {
                        task.done().completeExceptionally(failure);
                    }
                }
            }
        }
    }

    private void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
        // Wakes a trainer waiting for room; it then sees the failure.
        room.release(QUEUE_BYTES);
    }
}
