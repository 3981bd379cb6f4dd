package org.backprop.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the command line in-process against a store in a temp folder and captures what it prints. */
public final class Cli {
    private final Path store;

    public Cli(Path dir) {
        this.store = dir.resolve("store");
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
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
