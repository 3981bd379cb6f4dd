package org.backprop.cli;

import org.backprop.table.PrintableText;
import org.backprop.table.UnprintableTextException;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.backprop.digest.JournalCheck;
import org.backprop.digest.SeenDigests;
import org.backprop.digest.StoreDigest;
import java.util.function.Function;
import org.backprop.events.EventStore;
import org.backprop.events.InvalidQueryException;
import org.backprop.events.QueryCancelledException;
import org.backprop.events.ResumeRefusedException;
import org.backprop.events.StoreException;
import org.backprop.events.UnknownRunException;
import org.backprop.model.BackpropException;
import org.backprop.model.InvalidNetworkException;
import org.backprop.store.StoreAccess;
import org.backprop.store.StoreLocation;
import org.backprop.store.Stores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code backprop} command: train networks by backpropagation and audit every recorded epoch. */
@Command(name = "backprop", mixinStandardHelpOptions = true, version = "backprop 0.2.0",
        description = {"Trains fully connected networks by backpropagation and records every epoch as immutable events in a store:",
            "an H2 file, or a PostgreSQL database that a team shares (see the README's Team store).",
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
            "  backprop ui                         a web page of the store: runs, replays, comparisons, live training",
            "  backprop worker                     trains the runs planned by 'sweep --queue'",
            "", "Exit codes: 0 done, 1 failed unexpectedly, 2 bad input (the message says what to change),",
            "130 training stopped by Ctrl-C (the run is interrupted: resume continues it)."})
public final class Main implements Runnable {
    public static final int BAD_INPUT = 2;
    /** What a process stopped by Ctrl-C exits with. */
    static final int CANCELLED = 130;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print the stack trace of an error.")
    boolean debug;

    // Inherited, so it may stand before the command or after it; the value lands here either way.
    @Option(names = "--db", paramLabel = "PATH|URL", scope = CommandLine.ScopeType.INHERIT,
            description = "The store: an H2 file path (PATH.mv.db on disk), a jdbc:h2: URL, or a team store's"
                    + " jdbc:postgresql://HOST/DATABASE URL. Default: $BACKPROP_DB, else ./backprop-store.")
    String db;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where environment variables are read from: the process's, or a test's. */
    private Function<String, String> environment = System::getenv;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, such as train, runs, sql, replay or sweep (backprop --help lists them all)");
    }

    public static void main(String[] args) {
        // Buffered, not flushed at every line: a query streaming millions of rows would otherwise make a system call a
        // row. Commands that print while they work (verify's lines, the interactive replay) flush where they must.
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                System.out.charset()), 1 << 16), false);
        System.exit(run(args, out, new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System::getenv);
    }

    /**
     * Runs the command line with the given output streams and environment variables, and returns the exit code. Nothing
     * it prints can drive a terminal: every control character that is not the output's own layout is an escape.
     */
    static int run(String[] args, PrintWriter rawOut, PrintWriter rawErr, Function<String, String> environment) {
        PrintWriter out = TerminalSafeWriter.wrap(rawOut);
        PrintWriter err = TerminalSafeWriter.wrap(rawErr);
        Main main = new Main();
        main.environment = environment;
        CommandLine cl = new CommandLine(main);
        addSubcommands(cl, args);
        HelpLayout.apply(cl);
        cl.setExecutionStrategy(main::execute);
        cl.setOut(out);
        cl.setErr(err);
        // Help as plain text: colours are terminal control too, and the output lets none through.
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setParameterExceptionHandler((e, a) -> {
            out.flush();
            err.println("backprop: " + PrintableText.escaped(ParseErrors.sentence(e)));
            if (debugRequested(a)) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            // What the command printed before it failed comes first, as it happened.
            out.flush();
            boolean debug = debugRequested(args);
            if (isOutOfMemory(e)) {
                return outOfMemory(e, err, debug);
            }
            if (e instanceof QueryCancelledException cancelled) {
                err.println("backprop: " + cancelled.getMessage());
                return CANCELLED;
            }
            if (e instanceof BackpropException known) {
                // One line, whatever the message quotes (a name, a path, a query).
                err.println("backprop: " + PrintableText.escaped(known.getMessage()));
                if (debug) {
                    e.printStackTrace(err);
                }
                return isBadInput(known) ? BAD_INPUT : 1;
            }
            err.println("backprop: " + e.getClass().getSimpleName() + ": " + PrintableText.escaped(e.getMessage())
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

    /**
     * What a printed hint adds so that copying it reaches the same store: {@code " --db PATH"} when {@code --db} was
     * given (the environment a hint is copied into has the same {@code BACKPROP_DB}), else nothing.
     */
    static String dbHint(CommandLine.Model.CommandSpec spec) {
        String given = spec.root().userObject() instanceof Main main ? main.db : null;
        if (given == null || given.isBlank()) {
            return "";
        }
        String word = given.matches("[A-Za-z0-9_./:=@%+,-]+") ? given : "'" + given.replace("'", "'\\''") + "'";
        return " --db " + PrintableText.escaped(word);
    }

    /** The store named by {@code --db}, else by {@code BACKPROP_DB}, else {@code ./backprop-store}. */
    StoreLocation location() {
        return StoreLocation.resolve(db, environment);
    }

    /**
     * Runs the command the arguments name. A {@link StoreCommand} checks its input first, then gets its store from
     * here, opened as it asked, and closed when it is done; every other command runs as picocli runs it.
     */
    private int execute(CommandLine.ParseResult parsed) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        List<CommandLine> commands = parsed.asCommandLineList();
        CommandLine last = commands.get(commands.size() - 1);
        if (!(last.getCommand() instanceof StoreCommand command)) {
            return new CommandLine.RunLast().execute(parsed);
        }
        try {
            StoreAccess access = command.prepare();
            int code;
            if (access == null) {
                code = command.call(null);
            } else {
                PrintWriter err = last.getErr();
                try (EventStore store = Stores.open(location(), access, notice -> err.println("backprop: " + PrintableText.escaped(notice)))) {
                    try {
                        code = command.call(store);
                    } finally {
                        if (access == StoreAccess.CREATE || access == StoreAccess.WRITE) {
                            rememberDigest(store);
                        }
                    }
                }
            }
            last.setExecutionResult(code);
            return code;
        } catch (CommandLine.ParameterException | CommandLine.ExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandLine.ExecutionException(last, "backprop " + last.getCommandName() + " failed", e);
        }
    }

    /**
     * Remembers what a store holds after this process wrote to it, so that a later {@code verify} notices when it holds
     * less (it was rolled back or replaced). Best effort: a store that broke under the command says so by itself.
     */
    private static void rememberDigest(EventStore store) {
        try {
            SeenDigests.ofUser().recordIfExtending(store, JournalCheck.digestOf(store, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        } catch (RuntimeException e) {
            // The command's own outcome is what the user hears about.
        }
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
        m.put("digest", DigestCommand.class);
        m.put("export", ExportCommand.class);
        m.put("import", ImportCommand.class);
        m.put("sweep", SweepCommand.class);
        m.put("sweeps", SweepsCommand.class);
        m.put("worker", WorkerCommand.class);
        m.put("fork", ForkCommand.class);
        m.put("diff", DiffCommand.class);
        m.put("plot", PlotCommand.class);
        m.put("audit", AuditCommand.class);
        m.put("resume", ResumeCommand.class);
        m.put("server", ServerCommand.class);
        m.put("ui", UiCommand.class);
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
                || e instanceof StoreException || e instanceof BadInputException || e instanceof ResumeRefusedException
                || e instanceof StoreDigest.InvalidDigestException || e instanceof UnprintableTextException;
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
