package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** A real {@code backprop} process: the CLI in a child JVM on this test's classpath, its output captured in files. */
final class CliProcess implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final Process process;
    private final Path out;
    private final Path err;
    private final String command;

    private CliProcess(Process process, Path out, Path err, String command) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.command = command;
    }

    /** Starts {@code backprop ARGS} with its output going to files in {@code dir}. */
    static CliProcess start(Path dir, String... args) {
        return start(dir, List.of(), args);
    }

    /**
     * Starts {@code backprop ARGS} in the JIT-less interpreter: it trains some 50 times slower, so that a test can
     * stop it in the middle of a run however fast or busy the machine is. Nothing else about it changes.
     */
    static CliProcess startSlow(Path dir, String... args) {
        return start(dir, List.of("-Xint"), args);
    }

    /** Starts {@code backprop ARGS} with the given maximum heap, such as {@code 96m}. */
    static CliProcess startWithHeap(Path dir, String heap, String... args) {
        return start(dir, List.of("-Xmx" + heap), args);
    }

    /** Starts {@code backprop ARGS} with these environment variables added to this process's. */
    static CliProcess startWithEnvironment(Path dir, Map<String, String> environment, String... args) {
        return start(dir, List.of(), environment, args);
    }

    private static CliProcess start(Path dir, List<String> jvmOptions, String... args) {
        return start(dir, jvmOptions, Map.of(), args);
    }

    private static CliProcess start(Path dir, List<String> jvmOptions, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        int n = COUNT.incrementAndGet();
        Path out = dir.resolve("process-" + n + ".out");
        Path err = dir.resolve("process-" + n + ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(environment);
            Process p = pb.start();
            return new CliProcess(p, out, err, String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process with SIGKILL, as a crash or the OOM killer would, and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a signal, such as {@code INT} (Ctrl-C) or {@code TERM}, with the system's kill command. */
    void signal(String name) throws IOException, InterruptedException {
        int code = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        assertTrue(code == 0 || !process.isAlive(), "kill -" + name + " " + process.pid() + " exited with " + code);
    }

    /** Waits for the process to end and returns its exit code. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("'backprop " + command + "' did not end within " + timeout + "; it printed:\n" + out() + err());
        }
        return process.exitValue();
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until the condition holds, failing after the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "'backprop " + command + "' (pid " + process.pid() + ")";
    }
}
