package org.backprop.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.backprop.model.BackpropException;
import org.backprop.model.InvalidNetworkException;
import org.backprop.events.UnknownRunException;
import org.backprop.store.InvalidQueryException;
import org.backprop.store.ResumeRefusedException;
import org.backprop.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code backprop} command: train networks by backpropagation and audit every recorded epoch. */
@Command(name = "backprop", mixinStandardHelpOptions = true, version = "backprop 0.2.0",
        description = {"Trains fully connected networks by backpropagation and records every epoch as immutable events in an H2 store.",
            "Every command takes --db PATH (or BACKPROP_DB) to choose the store; the default is ./backprop-store."},
        footer = {"", "Examples:",
            "  backprop train                      the seed tutorial's run: 2-2-2, learning rate 0.1, 100 epochs",
            "  backprop train --lr 0.5 --epochs 1000",
            "  backprop train --config scripts/examples/xor.json",
            "  backprop runs",
            "  backprop sql \"SELECT * FROM epoch_sheet WHERE epoch < 3\"",
            "  backprop replay 1 --epoch 0",
            "  backprop verify",
            "  backprop sweep --lr 0.1,0.2,0.5,0.8,1.0,2.0 --plot sweep.png",
            "  backprop diff 1 2",
            "  backprop audit student.xlsx         finds the first wrong cell of a hand-made backprop sheet",
            "  backprop resume 7                   continues interrupted run 7 bit-identically",
            "  backprop server --dir stores        shares the stores in ./stores: --db jdbc:h2:tcp://localhost:9092/NAME",
            "", "Exit codes: 0 done, 1 failed unexpectedly, 2 bad input (the message says what to change),",
            "130 training stopped by Ctrl-C (the run is interrupted: resume continues it)."})
public final class Main implements Runnable {
    public static final int BAD_INPUT = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print the stack trace of an error.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, such as train, runs, sql, replay or sweep (backprop --help lists them all)");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        addSubcommands(cl, args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("backprop: " + e.getMessage());
            if (debugRequested(a)) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            boolean debug = debugRequested(args);
            if (isOutOfMemory(e)) {
                return outOfMemory(e, err, debug);
            }
            if (e instanceof BackpropException known) {
                err.println("backprop: " + known.getMessage());
                if (debug) {
                    e.printStackTrace(err);
                }
                return isBadInput(known) ? BAD_INPUT : 1;
            }
            err.println("backprop: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (debug ? "" : " (run again with --debug for details)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            code = outOfMemory(e, err, debugRequested(args));
        }
        out.flush();
        err.flush();
        return code;
    }

    /** Every subcommand, in the order the usage lists them. */
    private static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("train", TrainCommand.class);
        m.put("runs", RunsCommand.class);
        m.put("sql", SqlCommand.class);
        m.put("replay", ReplayCommand.class);
        m.put("state", StateCommand.class);
        m.put("verify", VerifyCommand.class);
        m.put("export", ExportCommand.class);
        m.put("import", ImportCommand.class);
        m.put("sweep", SweepCommand.class);
        m.put("fork", ForkCommand.class);
        m.put("diff", DiffCommand.class);
        m.put("plot", PlotCommand.class);
        m.put("audit", AuditCommand.class);
        m.put("resume", ResumeCommand.class);
        m.put("server", ServerCommand.class);
        m.put("warm-up", WarmUpCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return m;
    }

    /**
     * Builds only the subcommand the arguments name: picocli reads every registered command's annotations up front,
     * which cost about 0.15 s a start for all fourteen. Help, and anything unknown, still sees them all.
     */
    private static void addSubcommands(CommandLine cl, String[] args) {
        String named = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                named = a;
                break;
            }
        }
        if (named != null && COMMANDS.containsKey(named) && !named.equals("help")) {
            cl.addSubcommand(named, COMMANDS.get(named));
        } else if (named == null && args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"))) {
            return;
        } else {
            COMMANDS.forEach(cl::addSubcommand);
        }
    }

    /** An out-of-memory error, thrown as it is or wrapped (by H2, by Jdbi, by a run's commit thread). */
    static boolean isOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (isOutOfMemory(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int outOfMemory(Throwable e, PrintWriter err, boolean debug) {
        err.println("backprop: out of memory in a " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB heap: give the JVM more"
                + " with BACKPROP_HEAP (e.g. BACKPROP_HEAP=4g); what was committed is kept, and 'backprop resume RUN' continues an"
                + " interrupted run");
        if (debug) {
            e.printStackTrace(err);
        }
        return 1;
    }

    private static boolean isBadInput(BackpropException e) {
        return e instanceof InvalidNetworkException || e instanceof UnknownRunException || e instanceof InvalidQueryException
                || e instanceof StoreException || e instanceof BadInputException || e instanceof ResumeRefusedException;
    }

    private static boolean debugRequested(String[] args) {
        for (String a : args) {
            if (a.equals("--debug")) {
                return true;
            }
        }
        return false;
    }
}
