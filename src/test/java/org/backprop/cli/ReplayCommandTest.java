package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backprop.replay.Replay;
import org.backprop.replay.Stepper;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Cli cli;
    private Cli.Result trained;

    @BeforeEach
    void trainTheDefaultRun() {
        cli = new Cli(dir);
        trained = cli.run("train");
        assertEquals(0, trained.exitCode(), trained.err());
    }

    /** The lines of one epoch's section of a replay table, without the heading. */
    private static List<String> section(String table, int epoch) {
        List<String> lines = table.lines().toList();
        int start = lines.indexOf("epoch " + epoch);
        assertTrue(start >= 0, "no epoch " + epoch + " in\n" + table);
        List<String> out = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            out.add(lines.get(i).strip());
        }
        return out;
    }

    @Test
    void replayOfTheDefaultRunShowsWhatTrainingPrinted() throws Exception {
        Matcher loss = Pattern.compile("loss: epoch 0 (\\S+) -> epoch 99 (\\S+)").matcher(trained.out());
        assertTrue(loss.find(), trained.out());
        Matcher weights = Pattern.compile("w([1-8]) = (\\S+)").matcher(trained.out());
        String[] finalWeights = new String[9];
        while (weights.find()) {
            finalWeights[Integer.parseInt(weights.group(1))] = weights.group(2);
        }

        Cli.Result table = cli.run("replay", "1");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().startsWith("run 1 'seed': network 2-2-2 (sigmoid, sigmoid), learning rate 0.1, 100 epochs recorded; epochs 0 to 99\n"
                + "i1 = 0.05  i2 = 0.1  t1 = 0.5  t2 = 0.5\n"), table.out());
        assertTrue(section(table.out(), 0).get(4).endsWith("e_tot = " + loss.group(1)), section(table.out(), 0).toString());
        List<String> last = section(table.out(), 99);
        assertTrue(last.get(4).endsWith("e_tot = " + loss.group(2)), last.toString());
        for (int w = 1; w <= 8; w++) {
            String line = last.get(4 + w);
            assertTrue(line.matches("de_dw" + w + " = \\S+ +w" + w + ": +\\S+ +-> +\\S+ +-> +" + Pattern.quote(finalWeights[w])), line);
        }
        // The tutorial's first epoch, as its worked example names it.
        assertEquals(List.of(
                "h1 = 0.027500000000000004  a_h1 = 0.5068745667645342",
                "h2 = 0.042499999999999996  a_h2 = 0.5106234010049637",
                "o1 = 0.4325303571580474    a_o1 = 0.606477732206728",
                "o2 = 0.5342801539349972    a_o2 = 0.6304808354506348",
                "e1 = 0.005668753727943837  e2 = 0.008512624209947821  e_tot = 0.014181377937891659",
                "de_dw1 = 3.169933959102902E-4  w1:  0.15  ->  -3.169933959102902E-5   ->  0.14996830066040898"),
                section(table.out(), 0).subList(0, 6));

        Cli.Result json = cli.run("replay", "1", "--format", "json");
        JsonNode rows = JSON.readTree(json.out());
        assertEquals(100, rows.size());
        assertEquals(Double.parseDouble(loss.group(1)), rows.get(0).get("e_tot").asDouble());
        assertEquals(Double.parseDouble(loss.group(2)), rows.get(99).get("e_tot").asDouble());
        for (int w = 1; w <= 8; w++) {
            assertEquals(Double.parseDouble(finalWeights[w]), rows.get(99).get("after_w" + w).asDouble(), "w" + w);
            assertEquals(rows.get(50).get("after_w" + w).asDouble(), rows.get(51).get("w" + w).asDouble());
        }
    }

    @Test
    void aRangeAndOneEpochShowOnlyThoseEpochs() {
        Cli.Result range = cli.run("replay", "seed", "--from", "10", "--to", "12", "--format", "csv");
        assertEquals(0, range.exitCode(), range.err());
        assertEquals(4, range.lines().size());
        assertTrue(range.lines().get(0).startsWith("run_id,epoch,learning_rate,t1,t2,i1,i2,w1,w2,w3,w4,h1,a_h1,"), range.lines().get(0));
        assertTrue(range.lines().get(0).endsWith(",de_dw8,delta_w1,delta_w2,delta_w3,delta_w4,delta_w5,delta_w6,delta_w7,delta_w8,"
                + "after_w1,after_w2,after_w3,after_w4,after_w5,after_w6,after_w7,after_w8"), range.lines().get(0));
        assertTrue(range.lines().get(1).startsWith("1,10,0.1,"));
        assertTrue(range.lines().get(3).startsWith("1,12,0.1,"));
        Cli.Result one = cli.run("replay", "1", "--epoch", "42");
        assertEquals(List.of("epoch 42"), one.lines().stream().filter(l -> l.startsWith("epoch")).toList());
    }

    @Test
    void stateAtEpochNIsTheAfterOfEpochNMinusOneInTheWeightUpdatesView() throws Exception {
        for (int n : new int[] {1, 37, 99, 100}) {
            Cli.Result state = cli.run("state", "1", "--epoch", String.valueOf(n), "--format", "json");
            assertEquals(0, state.exitCode(), state.err());
            JsonNode weights = JSON.readTree(state.out()).get("weights");
            JsonNode after = JSON.readTree(cli.run("sql", "SELECT weight, after FROM weight_updates WHERE run_id = 1 AND epoch = " + (n - 1)
                    + " ORDER BY weight", "--format", "json").out());
            assertEquals(8, after.size());
            for (int w = 0; w < 8; w++) {
                assertEquals("w" + (w + 1), after.get(w).get("weight").asText());
                assertEquals(after.get(w).get("after").asDouble(), weights.get(w).asDouble(), "w" + (w + 1) + " at epoch " + n);
            }
        }
        Cli.Result last = cli.run("state", "1", "--final");
        assertEquals("run 1 'seed': weights after its last recorded epoch (99)", last.lines().get(0));
        assertEquals("w1         0.14759022399188299", last.lines().get(2));
        Cli.Result start = cli.run("state", "1", "--epoch", "0", "--format", "csv");
        assertEquals(List.of("parameter,value", "w1,0.15", "w2,0.2", "w3,0.25", "w4,0.3", "w5,0.4", "w6,0.45", "w7,0.5", "w8,0.55"), start.lines());
    }

    @Test
    void stepWithoutATerminalIsAPlainReplay() {
        Cli.Result plain = cli.run("replay", "1", "--from", "3", "--to", "5");
        Cli.Result step = cli.run("replay", "1", "--from", "3", "--to", "5", "--step");
        assertEquals(0, step.exitCode(), step.err());
        assertEquals(plain.out(), step.out());
    }

    @Test
    void stepKeysWalkBackAndForthJumpAndQuit() {
        try (H2EventStore store = H2EventStore.open(StoreLocation.of(cli.store().toString()))) {
            Replay replay = new Replay(store, 1);
            StringWriter text = new StringWriter();
            PrintWriter out = new PrintWriter(text);
            ReplayCommand.step(replay, new ReplayTable(out, replay.started()), new Stepper(0, 99),
                    new BufferedReader(new StringReader("\n\nb\n42\nx\n500\nq\nnever read\n")), out);
            List<String> shown = text.toString().lines().filter(l -> l.matches("(.*> )?epoch [0-9]+")).map(l -> l.replaceAll(".*> ", "")).toList();
            assertEquals(List.of("epoch 0", "epoch 1", "epoch 2", "epoch 1", "epoch 42"), shown);
            assertTrue(text.toString().contains("'x' is not a key here"), text.toString());
            assertTrue(text.toString().contains("there is no epoch 500 here: give a number from 0 to 99"), text.toString());

            StringWriter eof = new StringWriter();
            PrintWriter eofOut = new PrintWriter(eof);
            ReplayCommand.step(replay, new ReplayTable(eofOut, replay.started()), new Stepper(98, 99),
                    new BufferedReader(new StringReader("\n\n")), eofOut);
            assertTrue(eof.toString().contains("epoch 99 is the last one here"), eof.toString());
        }
    }

    @Test
    void replayWithHistoryShowsTheParentsEpochsUpToTheForkThenTheForksOwn() throws Exception {
        Cli.Result fork = cli.run("fork", "1", "--at", "13", "--epochs", "20", "--lr", "0.5");
        assertEquals(0, fork.exitCode(), fork.err());
        Cli.Result history = cli.run("replay", "2", "--with-history", "--format", "csv");
        assertEquals(0, history.exitCode(), history.err());
        List<String> lines = history.lines();
        assertEquals(1 + 13 + 20, lines.size(), history.out());
        assertTrue(lines.get(0).startsWith("history_epoch,"), lines.get(0));
        List<String> parent = cli.run("replay", "1", "--to", "12", "--format", "csv").lines();
        List<String> own = cli.run("replay", "2", "--format", "csv").lines();
        for (int e = 0; e < 13; e++) {
            assertEquals(e + "," + parent.get(1 + e), lines.get(1 + e), "history epoch " + e + " is the parent's epoch " + e);
        }
        for (int e = 0; e < 20; e++) {
            assertEquals((13 + e) + "," + own.get(1 + e), lines.get(14 + e), "history epoch " + (13 + e) + " is the fork's epoch " + e);
        }
        Cli.Result range = cli.run("replay", "2", "--with-history", "--from", "12", "--to", "13");
        assertEquals(0, range.exitCode(), range.err());
        assertTrue(range.out().contains("history epochs 12 to 12: run 1's epochs 12 to 12"), range.out());
        assertTrue(range.out().contains("history epochs 13 to 13: run 2's epochs 0 to 0"), range.out());
        Cli.Result outside = cli.run("replay", "2", "--with-history", "--epoch", "33");
        assertEquals(2, outside.exitCode());
        assertEquals("backprop: the history of run 2 has no epoch 33 (its epochs are 0 to 32)\n", outside.err());
    }
}
