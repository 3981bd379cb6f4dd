package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.backprop.store.h2.StoreChecks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input gets exit code 2, one line on stderr that names the problem, no stack trace, and writes
 * nothing: the store keeps its one run, a store that did not exist is not created, a foreign file is left as it was.
 * In the arguments, {store} is a store with one run, {fresh} a path where no store exists, {dir} the folder of the files.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    private static final String SEED = "\"layers\": [2, 2, 2], \"activations\": [\"sigmoid\", \"sigmoid\"], \"inputs\": [[0.05, 0.1]],"
            + " \"targets\": [[0.5, 0.5]], \"learningRate\": 0.1, \"epochs\": 10";

    @BeforeAll
    static void files() throws Exception {
        assertEquals(0, new Cli(dir).run("train", "--db", dir.resolve("store").toString(), "--epochs", "3").exitCode());
        config("malformed", "{\"layers\": [2, 2, 2], \"activations\": ");
        config("not-an-object", "[2, 2, 2]");
        config("layers-text", "{" + SEED.replace("[2, 2, 2]", "\"2-2-2\"") + ", \"seed\": 1}");
        config("epochs-text", "{" + SEED.replace("\"epochs\": 10", "\"epochs\": \"many\"") + ", \"seed\": 1}");
        config("rate-text", "{" + SEED.replace("\"learningRate\": 0.1", "\"learningRate\": \"fast\"") + ", \"seed\": 1}");
        config("no-inputs", "{" + SEED.replace("\"inputs\": [[0.05, 0.1]],", "") + ", \"seed\": 1}");
        config("no-weights", "{" + SEED + "}");
        config("unknown-field", "{" + SEED + ", \"seed\": 1, \"momentum\": 0.9}");
        config("seven-weights", "{" + SEED + ", \"weights\": [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5]}");
        config("three-biases", "{" + SEED + ", \"weights\": [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55], \"biases\": [0.1, 0.2, 0.3]}");
        config("more-inputs-than-targets", "{" + SEED.replace("[[0.05, 0.1]]", "[[0.05, 0.1], [1, 2]]") + ", \"seed\": 1}");
        config("three-inputs", "{" + SEED.replace("[[0.05, 0.1]]", "[[0.05, 0.1, 0.2]]") + ", \"seed\": 1}");
        config("one-target", "{" + SEED.replace("[[0.5, 0.5]]", "[[0.5]]") + ", \"seed\": 1}");
        config("zero-rate", "{" + SEED.replace("\"learningRate\": 0.1", "\"learningRate\": 0") + ", \"seed\": 1}");
        config("negative-rate", "{" + SEED.replace("\"learningRate\": 0.1", "\"learningRate\": -0.1") + ", \"seed\": 1}");
        config("no-epochs", "{" + SEED.replace("\"epochs\": 10", "\"epochs\": 0") + ", \"seed\": 1}");
        config("trillion-epochs", "{" + SEED.replace("\"epochs\": 10", "\"epochs\": 1000000000000") + ", \"seed\": 1}");
        config("softmax", "{" + SEED.replace("\"sigmoid\"]", "\"softmax\"]") + ", \"seed\": 1}");
        Files.writeString(dir.resolve("junk.mv.db"), "this is not an H2 database\n".repeat(200));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("other"), "SA", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x INT)");
        }
        assertEquals(0, new Cli(dir).run("train", "--db", dir.resolve("newer").toString(), "--epochs", "2").exitCode());
        StoreChecks.markWrittenByNewerVersion(dir.resolve("newer"));
        config("escape-name", "{" + SEED + ", \"seed\": 1, \"name\": \"red\\u001b[31m\"}");
        // A run named as the command line refuses, recorded through the store's own interface (as an older version
        // could have), then exported: importing the file is refused.
        try (var store = org.backprop.store.h2.H2EventStore.open(org.backprop.store.StoreLocation.of(dir.resolve("odd").toString()))) {
            new org.backprop.training.Trainer(store).train(org.backprop.model.RunConfig.seed().withEpochs(2).withName("a\nb"),
                    org.backprop.training.TrainingProgress.NONE);
        }
        assertEquals(0, new Cli(dir).run("export", "1", "--format", "jsonl", "--out", dir.resolve("odd.jsonl").toString(),
                "--db", dir.resolve("odd").toString()).exitCode());
    }

    private static void config(String name, String json) throws Exception {
        Files.writeString(dir.resolve(name + ".json"), json);
    }

    private static Arguments bad(String what, String message, String... args) {
        return Arguments.of(what, List.of(args), message);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                bad("malformed JSON", "malformed.json is not valid JSON (line 1, column ", "train", "--config", "{dir}/malformed.json", "--db", "{fresh}"),
                bad("JSON that is not an object", "not-an-object.json must hold one JSON object", "train", "--config", "{dir}/not-an-object.json", "--db", "{fresh}"),
                bad("layers of the wrong type", "\"layers\" in {dir}/layers-text.json must be an array of whole numbers such as [2, 2, 2]",
                        "train", "--config", "{dir}/layers-text.json", "--db", "{fresh}"),
                bad("epochs of the wrong type", "\"epochs\" in {dir}/epochs-text.json must be a whole number from 1 to 100000000, such as 100",
                        "train", "--config", "{dir}/epochs-text.json", "--db", "{fresh}"),
                bad("learning rate of the wrong type", "\"learningRate\" in {dir}/rate-text.json must be a number such as 0.1",
                        "train", "--config", "{dir}/rate-text.json", "--db", "{fresh}"),
                bad("a missing field", "no-inputs.json has no \"inputs\" field: add it", "train", "--config", "{dir}/no-inputs.json", "--db", "{fresh}"),
                bad("neither weights nor seed", "has neither \"weights\" nor \"seed\"", "train", "--config", "{dir}/no-weights.json", "--db", "{fresh}"),
                bad("an unknown field", "has an unknown field \"momentum\"", "train", "--config", "{dir}/unknown-field.json", "--db", "{fresh}"),
                bad("too few weights", "the network 2-2-2 has 8 weights but 7 were given: give exactly 8", "train", "--config", "{dir}/seven-weights.json", "--db", "{fresh}"),
                bad("too few biases", "the network 2-2-2 has 4 biases but 3 were given", "train", "--config", "{dir}/three-biases.json", "--db", "{fresh}"),
                bad("more inputs than targets", "there are 2 input vectors but 1 target vectors", "train", "--config", "{dir}/more-inputs-than-targets.json", "--db", "{fresh}"),
                bad("inputs that do not fit the input layer", "sample 1 has 3 inputs but the network's input layer has 2 neurons",
                        "train", "--config", "{dir}/three-inputs.json", "--db", "{fresh}"),
                bad("targets that do not fit the output layer", "sample 1 has 1 targets but the network's output layer has 2 neurons",
                        "train", "--config", "{dir}/one-target.json", "--db", "{fresh}"),
                bad("a learning rate of NaN", "the learning rate is NaN: give a finite number greater than 0", "train", "--lr", "NaN", "--db", "{fresh}"),
                bad("an infinite learning rate", "the learning rate is Infinity: give a finite number greater than 0", "train", "--lr", "Infinity", "--db", "{fresh}"),
                bad("a learning rate of 0", "the learning rate is 0.0: give a finite number greater than 0", "train", "--lr", "0", "--db", "{fresh}"),
                bad("a negative learning rate", "the learning rate is -0.5: give a finite number greater than 0", "train", "--lr", "-0.5", "--db", "{fresh}"),
                bad("a learning rate of 0 in the file", "the learning rate is 0.0", "train", "--config", "{dir}/zero-rate.json", "--db", "{fresh}"),
                bad("a negative learning rate in the file", "the learning rate is -0.1", "train", "--config", "{dir}/negative-rate.json", "--db", "{fresh}"),
                bad("no epochs", "the number of epochs is 0: give a whole number from 1 to 100000000", "train", "--epochs", "0", "--db", "{fresh}"),
                bad("one epoch over the limit", "the number of epochs is 100000001: give a whole number from 1 to 100000000", "train", "--epochs", "100000001", "--db", "{fresh}"),
                bad("absurdly many epochs in the file", "the number of epochs is 1000000000000: give a whole number from 1 to 100000000",
                        "train", "--config", "{dir}/trillion-epochs.json", "--db", "{fresh}"),
                bad("epochs that are not a number", "--epochs takes a whole number, such as 100; 'many' is not one", "train", "--epochs", "many", "--db", "{fresh}"),
                bad("an unknown activation", "unknown activation 'softmax'", "train", "--config", "{dir}/softmax.json", "--db", "{fresh}"),
                bad("a configuration file that does not exist", "the configuration file {dir}/missing.json does not exist: check the --config path",
                        "train", "--config", "{dir}/missing.json", "--db", "{fresh}"),
                bad("a store folder that does not exist", "the folder {dir}/no-such-folder does not exist", "train", "--db", "{dir}/no-such-folder/store"),
                bad("an unknown run id", "there is no run '99' in {dir}/store.mv.db: 'backprop runs' lists the runs", "resume", "99", "--db", "{store}"),
                bad("an unknown run name", "there is no run 'nope' in", "resume", "nope", "--db", "{store}"),
                bad("a fork epoch after the parent's last", "run 1 has no epoch 4 to fork at: give --at from 0 to 3 (3 means its weights after the last recorded update)",
                        "fork", "1", "--at", "4", "--db", "{store}"),
                bad("a fork epoch before the parent's first", "run 1 has no epoch -1 to fork at: give --at from 0 to 3",
                        "fork", "1", "--at", "-1", "--db", "{store}"),
                bad("resuming a run that completed", "run 1 has already completed (all 3 epochs are recorded): there is nothing to resume",
                        "resume", "1", "--db", "{store}"),
                bad("resuming in a store that does not exist", "there is no store at {fresh}.mv.db (nothing was created)", "resume", "1", "--db", "{fresh}"),
                bad("a file that is not a store, to read", "{dir}/junk.mv.db is not a backprop store (it is not an H2 database file)", "runs", "--db", "{dir}/junk.mv.db"),
                bad("a file that is not a store, to train into", "{dir}/junk.mv.db is not a backprop store", "train", "--db", "{dir}/junk"),
                bad("someone else's H2 database", "{dir}/other.mv.db is not a backprop store (it is an H2 database, but it has no credentials file beside it",
                        "runs", "--db", "{dir}/other"),
                bad("a store from a newer backprop, to read", "was written by a newer backprop (schema 99, this program knows up to ",
                        "runs", "--db", "{dir}/newer"),
                bad("a store from a newer backprop, to train into", "was written by a newer backprop (schema 99", "train", "--db", "{dir}/newer"),
                bad("SQL that is not valid", "the query is not valid SQL for this store: Syntax error", "sql", "SELEC * FROM runs", "--db", "{store}"),
                bad("SQL that names no table there", "the query is not valid SQL for this store: Table \"NOPE\" not found", "sql", "SELECT * FROM nope", "--db", "{store}"),
                bad("SQL that deletes", "the query tries to change the store, and the sql command only reads: give a SELECT",
                        "sql", "DELETE FROM run_started", "--db", "{store}"),
                bad("SQL that drops a table", "the query tries to change the store, and the sql command only reads: give a SELECT",
                        "sql", "DROP TABLE run_ended", "--db", "{store}"),
                bad("SQL that inserts", "the query tries to change the store", "sql",
                        "INSERT INTO run_writers VALUES (1, 1, CURRENT_TIMESTAMP, 'x', CURRENT_TIMESTAMP)", "--db", "{store}"),
                bad("an empty query", "the query is empty: give one SELECT statement", "sql", " ; ", "--db", "{store}"),
                bad("SQL on a store that does not exist", "there is no store at {fresh}.mv.db (nothing was created)", "sql", "SELECT 1", "--db", "{fresh}"),
                bad("verifying a store that does not exist", "there is no store at {fresh}.mv.db (nothing was created)", "verify", "--db", "{fresh}"),
                bad("replaying from a store that does not exist", "there is no store at {fresh}.mv.db", "replay", "1", "--db", "{fresh}"),
                bad("state from a store that does not exist", "there is no store at {fresh}.mv.db", "state", "1", "--final", "--db", "{fresh}"),
                bad("exporting from a store that does not exist", "there is no store at {fresh}.mv.db", "export", "1", "--format", "csv", "--db", "{fresh}"),
                bad("diffing in a store that does not exist", "there is no store at {fresh}.mv.db", "diff", "1", "2", "--db", "{fresh}"),
                bad("plotting from a store that does not exist", "there is no store at {fresh}.mv.db", "plot", "1", "--out", "{dir}/p.png", "--db", "{fresh}"),
                bad("forking in a store that does not exist", "there is no store at {fresh}.mv.db", "fork", "1", "--at", "1", "--db", "{fresh}"),
                bad("listing a store that does not exist", "there is no store at {fresh}.mv.db", "runs", "--db", "{fresh}"),
                bad("an output format that does not exist", "--format takes one of table, csv, json, markdown; not 'yaml'", "runs", "--format", "yaml", "--db", "{store}"),
                bad("a run name with a terminal escape", "the run name contains a control character, U+001B (escape), at character 4: it"
                        + " would be printed in tables and on terminals, so use printable characters only",
                        "train", "--name", "red\u001b[31m", "--db", "{fresh}"),
                bad("a run name with a line break", "the run name contains a control character, U+000A (line feed (lf)), at character 2",
                        "train", "--name", "a\n     9  fake  2-2-2", "--db", "{fresh}"),
                bad("a run name that reverses the text after it", "the run name contains a control character, U+202E (right-to-left override),"
                        + " at character 6", "train", "--name", "bonus\u202Etxt.exe", "--db", "{fresh}"),
                bad("a run name with an escape in the file", "the run name contains a control character, U+001B (escape), at character 4",
                        "train", "--config", "{dir}/escape-name.json", "--db", "{fresh}"),
                bad("a fork name with a tab", "the run name contains a control character, U+0009 (character tabulation), at character 2",
                        "fork", "1", "--at", "1", "--name", "a\tb", "--db", "{store}"),
                bad("a sweep name with an escape", "the run name contains a control character, U+001B (escape), at character 1",
                        "sweep", "--lr", "0.1,0.2", "--name", "\u001b]0;title\u0007", "--db", "{fresh}"),
                bad("an imported run name with a line break", "the run name in {dir}/odd.jsonl contains a control character, U+000A (line feed (lf)),"
                        + " at character 2", "import", "{dir}/odd.jsonl", "--db", "{fresh}"),
                bad("an in-memory database for a store", "the store URL jdbc:h2:mem:x names neither a file nor a server",
                        "train", "--db", "jdbc:h2:mem:x"),
                bad("an unknown option", "backprop train has no option --momentum ('backprop train --help' lists its options)", "train", "--momentum", "0.9", "--db", "{fresh}"),
                bad("an option from another tool", "backprop train has no option --learning-rate; did you mean --lr? ('backprop train --help' lists its options)",
                        "train", "--learning-rate", "0.5", "--db", "{fresh}"),
                bad("a misspelt option", "backprop train has no option --epochz; did you mean --epochs?", "train", "--epochz", "5", "--db", "{fresh}"),
                bad("an unknown command", "unknown command 'frobnicate' ('backprop --help' lists the commands)", "frobnicate", "--db", "{store}"),
                bad("a misspelt command", "unknown command 'trian'; did you mean 'train'? ('backprop --help' lists the commands)", "trian", "--db", "{fresh}"),
                bad("a rate that is not a number", "--lr takes a number, such as 0.5; 'abc' is not one", "train", "--lr", "abc", "--db", "{fresh}"),
                bad("an option without its value", "--epochs needs a value: give it as --epochs N", "train", "--db", "{fresh}", "--epochs"),
                bad("a missing run", "backprop replay needs RUN: give it as in 'backprop replay RUN'", "replay", "--db", "{store}"),
                bad("state without an epoch", "backprop state needs one of --epoch=N or --final ('backprop state --help' says what each does)",
                        "state", "1", "--db", "{store}"),
                bad("state with two epochs", "give only one of --epoch=N and --final", "state", "1", "--epoch", "1", "--final", "--db", "{store}"),
                bad("an argument too many", "backprop train does not take '2': it is one argument too many", "train", "--lr", "1", "2", "--db", "{fresh}"),
                bad("a plot of nothing", "name the runs to draw, or give --sweep ID: such as", "plot", "--out", "{dir}/p.png", "--db", "{store}"),
                bad("a plot of runs and a sweep", "name the runs to draw or give --sweep ID, not both", "plot", "1", "--sweep", "1", "--out", "{dir}/p.png", "--db", "{store}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsOneLineExitCodeTwoAndWritesNothing(String what, List<String> args, String message) throws Exception {
        Path fresh = dir.resolve("fresh-" + Math.abs(what.hashCode()));
        byte[] junk = Files.readAllBytes(dir.resolve("junk.mv.db"));
        String[] argv = args.stream().map(a -> substitute(a, fresh)).toArray(String[]::new);

        Cli.Result r = new Cli(dir).run(argv);

        String said = String.join(" ", argv) + " -> " + r.err();
        assertEquals(2, r.exitCode(), said);
        assertEquals(1, r.err().lines().count(), "one line: " + said);
        assertTrue(r.err().startsWith("backprop: "), said);
        assertTrue(r.err().contains(substitute(message, fresh)), "names the problem: " + said);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace or exception name: " + said);
        assertEquals("", r.out(), said);
        assertEquals(1, StoreChecks.runCount(dir.resolve("store")), "the store still has its one run");
        assertEquals(1, StoreChecks.runCount(dir.resolve("newer")), "the newer store still has its one run");
        assertArrayEquals(junk, Files.readAllBytes(dir.resolve("junk.mv.db")), "a file that is not a store is left as it was");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(fresh.getFileName().toString())).toList(),
                    "no store is created where there was none");
        }
        assertFalse(Files.exists(dir.resolve("no-such-folder")));
    }

    private static String substitute(String s, Path fresh) {
        return s.replace("{dir}", dir.toString()).replace("{store}", dir.resolve("store").toString()).replace("{fresh}", fresh.toString());
    }

    @org.junit.jupiter.api.Test
    void everyCaseOfTheIssueIsInTheTable() {
        List<String> whats = cases().map(a -> (String) a.get()[0]).toList();
        for (String needed : Arrays.asList("malformed JSON", "layers of the wrong type", "a missing field", "too few weights", "too few biases",
                "more inputs than targets", "a learning rate of NaN", "an infinite learning rate", "a learning rate of 0",
                "a negative learning rate", "no epochs", "verifying a store that does not exist", "one epoch over the limit", "an unknown activation", "an unknown run id",
                "a file that is not a store, to read", "a store from a newer backprop, to read", "SQL that is not valid", "SQL that deletes",
                "a fork epoch after the parent's last")) {
            assertTrue(whats.contains(needed), needed);
        }
    }
}
