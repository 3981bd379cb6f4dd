package org.backprop.cli;

import picocli.CommandLine.Option;

/** The {@code --format} option of the commands that print one table (runs, sql, state): every format a table has. */
final class TableFormatOption {
    @Option(names = "--format", paramLabel = "table|csv|json|markdown", description = "Output format: table, csv, json or markdown. Default: table.")
    Format format = Format.table;
}
