package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private final String db;
    private final Map<String, String> environment;

    public Cli(Path dir) {
        this(dir.resolve("store"), dir.resolve("store").toString(), Map.of());
    }

    private Cli(Path store, String db, Map<String, String> environment) {
        this.store = store;
        this.db = db;
        this.environment = environment;
    }

    /** Runs the commands against the store {@code --db DB} names, such as a team store's jdbc:postgresql: URL. */
    public static Cli forDb(String db) {
        return new Cli(null, db, Map.of());
    }

    /** The same, with these environment variables set for every command (the process's own are not seen). */
    public Cli withEnvironment(Map<String, String> variables) {
        return new Cli(store, db, Map.copyOf(variables));
    }

    /** The H2 store's path (null for a store named by a URL). */
    public Path store() {
        return store;
    }

    /** The store as --db names it. */
    public String db() {
        return db;
    }

    /** What one command printed and its exit code. */
    public record Result(int exitCode, String out, String err) {
        public List<String> lines() {
            return out.lines().toList();
        }

        /** The output as JSON, after asserting that the command succeeded (its errors are the failure's message). */
        public JsonNode json() throws JsonProcessingException {
            assertEquals(0, exitCode, err);
            return new ObjectMapper().readTree(out);
        }
    }

    /** Runs {@code backprop ARGS --db <temp store>}. */
    public Result run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!all.contains("--db") && !all.isEmpty() && !all.get(0).startsWith("-")) {
            all.add("--db");
            all.add(db);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true),
                name -> environment.isEmpty() ? System.getenv(name) : environment.get(name));
        return new Result(code, out.toString(), err.toString());
    }
}
