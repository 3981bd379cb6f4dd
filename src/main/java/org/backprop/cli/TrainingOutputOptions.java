package org.backprop.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The output options of every command that trains (train, fork, resume): a table or JSON, and whether to show progress. */
final class TrainingOutputOptions {
    @Option(names = "--format", paramLabel = "table|json", description = "Output format: table or json. Default: table.")
    Format format = Format.table;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    boolean quiet;

    /** Refuses a format a training command cannot print. */
    void check(String command) {
        if (format != Format.table && format != Format.json) {
            throw new BadInputException(command + " prints --format table or json, not " + format);
        }
    }

    boolean json() {
        return format == Format.json;
    }

    /** Progress on the terminal, unless quiet or printing JSON. */
    TerminalProgress progress(PrintWriter err) {
        return TerminalProgress.forTerminal(quiet || json(), err);
    }

    /** What the command prints of its run, with the progress display; {@code before} a line ahead of the header, or null. */
    RunReport report(CommandSpec spec, TerminalProgress progress, String before) {
        return new RunReport(spec.commandLine().getOut(), progress, Main.dbHint(spec), json(), before);
    }
}
