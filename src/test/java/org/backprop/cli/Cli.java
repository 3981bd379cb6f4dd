package org.backprop.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs the command line in-process against a store in a temp folder and captures what it prints. */
public final class Cli {
    private final Path store;
    private final Map<String, String> environment;

    public Cli(Path dir) {
        this(dir.resolve("store"), Map.of());
    }

    private Cli(Path store, Map<String, String> environment) {
        this.store = store;
        this.environment = environment;
    }

    /** The same, with these environment variables set for every command (the process's own are not seen). */
    public Cli withEnvironment(Map<String, String> variables) {
        return new Cli(store, Map.copyOf(variables));
    }

    public Path store() {
        return store;
    }

    /** What one command printed and its exit code. */
    public record Result(int exitCode, String out, String err) {
        public List<String> lines() {
            return out.lines().toList();
        }
    }

    /** Runs {@code backprop ARGS --db <temp store>}. */
    public Result run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!all.contains("--db") && !all.isEmpty() && !all.get(0).startsWith("-")) {
            all.add("--db");
            all.add(store.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true),
                name -> environment.isEmpty() ? System.getenv(name) : environment.get(name));
        return new Result(code, out.toString(), err.toString());
    }
}
