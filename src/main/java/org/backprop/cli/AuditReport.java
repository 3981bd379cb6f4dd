package org.backprop.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.backprop.sheets.FileAudit;
import org.backprop.sheets.HeaderNames;
import org.backprop.sheets.Quantity;
import org.backprop.sheets.TableAudit;
import org.backprop.sheets.Verdict;
import org.backprop.sheets.check.WrongCell;

/**
 * Prints audits: a readable table for the terminal, the JSON contract other tools read, or a markdown report a
 * teacher can paste. Everything taken from a file (sheet names, formulas, text) is printed as text, with control
 * characters shown as escapes.
 */
final class AuditReport {
    private AuditReport() {
    }

    /** What recording made of one table, or null without --record. */
    record Runs(long sheetRunId, long exactRunId) {
    }

    interface RunsOf {
        Runs of(FileAudit file, TableAudit table);
    }

    static void print(PrintWriter out, Format format, List<FileAudit> files, RunsOf runs) {
        switch (format) {
            case json -> out.println(json(files, runs));
            case markdown -> files.forEach(f -> markdown(out, f, runs));
            default -> files.forEach(f -> table(out, f, runs));
        }
    }

    // ---- table -------------------------------------------------------------------------------------------------

    private static void table(PrintWriter out, FileAudit f, RunsOf runs) {
        out.printf("%s (SHA-256 %s, %s): %s%n", safe(f.file()), f.sha256().substring(0, 12) + "…",
                f.application().isEmpty() ? "no application named" : "written by " + safe(f.application()), count(f.tables().size(), "table"));
        for (TableAudit t : f.tables()) {
            out.printf("  sheet '%s', table at %s: %s%n", safe(t.table().sheet()), t.table().position(), where(t));
            if (t.verdict() == Verdict.NOT_AUDITABLE) {
                out.println("    not-auditable: " + t.reason());
                continue;
            }
            out.println("    " + verdictLine(t));
            if (t.check().wrong() != null) {
                out.println("    first wrong cell: " + firstWrong(t));
                if (t.diagnosis().formula() != null) {
                    out.println("    formula: " + safe(t.diagnosis().formula()));
                    out.println("      " + references(t.diagnosis().references()));
                }
                out.println("    diagnosis: " + safe(t.diagnosis().sentence()));
            }
            out.println("    " + exactLine(t));
            Runs r = runs == null ? null : runs.of(f, t);
            if (r != null) {
                out.printf("    recorded: run %d holds the sheet's values, run %d the exact run from the same start ('backprop diff %d %d')%n",
                        r.sheetRunId(), r.exactRunId(), r.sheetRunId(), r.exactRunId());
            }
        }
        if (!f.sheetsWithoutTables().isEmpty()) {
            out.println("  sheets without a table: " + String.join(", ", f.sheetsWithoutTables().stream().map(s -> "'" + safe(s) + "'").toList()));
        }
    }

    private static String where(TableAudit t) {
        String rows = t.table().dataRows() == 0 ? "header in row " + t.headerRow() + ", no data rows"
                : "header in row " + t.headerRow() + ", rows " + t.firstRow() + " to " + t.lastRow() + " (" + count(t.table().dataRows(), "epoch") + ")";
        if (t.table().rate() == null) {
            return rows + ", no learning rate";
        }
        return rows + ", learning rate " + t.table().rate().value() + " from " + safe(t.table().rate().source());
    }

    private static String verdictLine(TableAudit t) {
        return switch (t.verdict()) {
            case EXACT -> "exact: all " + t.check().checked() + " computed cells within 1e-12 of what their inputs give";
            case WITHIN_PRECISION -> "within-precision: all " + t.check().checked() + " computed cells within what their digits allow ("
                    + t.precision().digits() + " significant digits: " + safe(t.precision().basis()) + "); the largest difference is "
                    + sci(t.check().largestRelative()) + " relative" + typedNote(t);
            case DEFECTIVE -> "defective: " + count(t.check().wrongCells(), "wrong cell") + " of " + t.check().checked() + ", in " + columns(t) + typedNote(t);
            case NOT_AUDITABLE -> "not-auditable: " + t.reason();
        };
    }

    private static String typedNote(TableAudit t) {
        int typed = t.check().typedCells();
        return typed == 0 ? "" : "; " + count(typed, "cell") + " hold typed numbers where formulas belong (pasted values)";
    }

    static String columns(TableAudit t) {
        return String.join(", ", wrongColumns(t).stream().map(q -> q.label() + " (column " + t.columnOf(q) + ")").toList());
    }

    static List<Quantity> wrongColumns(TableAudit t) {
        return t.check().wrongColumns().stream().sorted(java.util.Comparator.comparingInt(q -> t.table().column(q))).toList();
    }

    private static String firstWrong(TableAudit t) {
        WrongCell w = t.check().wrong();
        String found = Double.isNaN(w.found()) ? (w.shown().isEmpty() ? "nothing" : safe(w.shown())) : Double.toString(w.found());
        String difference = Double.isNaN(w.found()) ? "" : " (differs by " + sci(relative(w)) + " relative, where its digits allow ±" + sci(w.allowed()) + ")";
        return t.firstWrongCell() + " (" + w.quantity().label() + ") holds " + found + ", expected " + w.expected() + difference;
    }

    private static double relative(WrongCell w) {
        double scale = Math.max(Math.abs(w.found()), Math.abs(w.expected()));
        return scale == 0 ? 0 : Math.abs(w.found() - w.expected()) / scale;
    }

    private static String references(Map<String, String> refs) {
        return String.join(", ", refs.entrySet().stream().map(e -> e.getKey() + " = " + safe(e.getValue())).toList());
    }

    private static String exactLine(TableAudit t) {
        var x = t.exact();
        return "exact run from row " + t.firstRow() + ": final error " + x.finalErrorExact() + " (the sheet's: " + x.finalErrorSheet()
                + "); the last row's weights differ from it by up to " + sci(x.largestWeightDifference());
    }

    // ---- markdown ----------------------------------------------------------------------------------------------

    private static void markdown(PrintWriter out, FileAudit f, RunsOf runs) {
        out.println("## Audit of " + md(f.fileName()));
        out.println();
        out.println("SHA-256 `" + f.sha256() + "`" + (f.application().isEmpty() ? "" : ", written by " + md(f.application())) + ".");
        out.println();
        out.println("| sheet | table | rows | learning rate | verdict | first wrong cell | diagnosis | final error (sheet) | final error (exact) |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (TableAudit t : f.tables()) {
            boolean auditable = t.verdict() != Verdict.NOT_AUDITABLE;
            String wrong = auditable && t.check().wrong() != null ? t.firstWrongCell() + " (" + t.check().wrong().quantity().label() + ")" : "";
            String diagnosis = !auditable ? t.reason() : t.diagnosis() == null ? "" : t.diagnosis().sentence();
            out.println("| " + md(t.table().sheet()) + " | " + t.table().position() + " | " + t.firstRow() + "–" + t.lastRow() + " | "
                    + (t.table().rate() == null ? "" : t.table().rate().value()) + " | **" + t.verdict().label() + "** | " + wrong + " | "
                    + md(diagnosis) + " | " + (auditable ? t.exact().finalErrorSheet() : "") + " | " + (auditable ? t.exact().finalErrorExact() : "") + " |");
        }
        out.println();
        for (TableAudit t : f.tables()) {
            if (t.verdict() == Verdict.DEFECTIVE) {
                WrongCell w = t.check().wrong();
                out.println("**" + md(t.table().sheet()) + ", " + t.firstWrongCell() + "** (" + w.quantity().label() + "): holds "
                        + (Double.isNaN(w.found()) ? md(w.shown()) : w.found()) + ", expected " + w.expected() + ". "
                        + (t.diagnosis().formula() == null ? "" : "Formula `" + t.diagnosis().formula().replace("`", "'") + "` ("
                                + md(references(t.diagnosis().references())) + "). ")
                        + "Diagnosis: " + md(t.diagnosis().sentence()) + ". " + count(t.check().wrongCells(), "wrong cell") + ", in " + md(columns(t)) + ".");
                out.println();
            }
            Runs r = runs == null ? null : runs.of(f, t);
            if (r != null) {
                out.println("Recorded as run " + r.sheetRunId() + " (the sheet) and run " + r.exactRunId() + " (exact): `backprop diff "
                        + r.sheetRunId() + " " + r.exactRunId() + "`.");
                out.println();
            }
        }
        if (!f.sheetsWithoutTables().isEmpty()) {
            out.println("Sheets without a table: " + md(String.join(", ", f.sheetsWithoutTables())) + ".");
            out.println();
        }
    }

    private static String md(String s) {
        return safe(s).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_");
    }

    // ---- json --------------------------------------------------------------------------------------------------

    private static String json(List<FileAudit> files, RunsOf runs) {
        return Tables.prettyJson(g -> {
            if (files.size() == 1) {
                file(g, files.get(0), runs);
            } else {
                g.writeStartArray();
                for (FileAudit f : files) {
                    file(g, f, runs);
                }
                g.writeEndArray();
            }
        });
    }

    private static void file(JsonGenerator g, FileAudit f, RunsOf runs) throws IOException {
        g.writeStartObject();
        g.writeStringField("file", f.file());
        g.writeStringField("sha256", f.sha256());
        g.writeStringField("application", f.application());
        g.writeArrayFieldStart("tables");
        for (TableAudit t : f.tables()) {
            tableJson(g, f, t, runs);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("sheetsWithoutTables");
        for (String s : f.sheetsWithoutTables()) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void tableJson(JsonGenerator g, FileAudit f, TableAudit t, RunsOf runs) throws IOException {
        boolean auditable = t.verdict() != Verdict.NOT_AUDITABLE;
        WrongCell w = auditable ? t.check().wrong() : null;
        g.writeStartObject();
        g.writeStringField("sheet", t.table().sheet());
        g.writeStringField("position", t.table().position());
        g.writeNumberField("headerRow", t.headerRow());
        g.writeNumberField("firstRow", t.firstRow());
        g.writeNumberField("lastRow", t.lastRow());
        g.writeNumberField("epochs", t.table().dataRows());
        g.writeFieldName("learningRate");
        Tables.writeValue(g, t.table().rate() == null ? null : t.table().rate().value());
        g.writeFieldName("learningRateSource");
        Tables.writeValue(g, t.table().rate() == null ? null : t.table().rate().source());
        g.writeStringField("verdict", t.verdict().label());
        g.writeFieldName("reason");
        Tables.writeValue(g, t.reason());
        g.writeFieldName("firstWrongCell");
        Tables.writeValue(g, auditable ? t.firstWrongCell() : null);
        g.writeFieldName("quantity");
        Tables.writeValue(g, w == null ? null : w.quantity().label());
        g.writeFieldName("found");
        Tables.writeValue(g, w == null ? null : Double.isNaN(w.found()) ? (Object) w.shown() : (Object) w.found());
        g.writeFieldName("expected");
        Tables.writeValue(g, w == null ? null : w.expected());
        g.writeFieldName("formula");
        Tables.writeValue(g, w == null ? null : t.diagnosis().formula());
        g.writeFieldName("references");
        if (w == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            for (Map.Entry<String, String> e : t.diagnosis().references().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        g.writeFieldName("diagnosis");
        Tables.writeValue(g, w == null ? null : t.diagnosis().sentence());
        g.writeFieldName("wrongCells");
        Tables.writeValue(g, auditable ? t.check().wrongCells() : null);
        g.writeArrayFieldStart("wrongColumns");
        if (auditable) {
            for (Quantity q : wrongColumns(t)) {
                g.writeString(q.label());
            }
        }
        g.writeEndArray();
        g.writeFieldName("typedCells");
        Tables.writeValue(g, auditable ? t.check().typedCells() : null);
        g.writeFieldName("digits");
        Tables.writeValue(g, auditable ? t.precision().digits() : null);
        g.writeFieldName("finalErrorSheet");
        Tables.writeValue(g, auditable ? t.exact().finalErrorSheet() : null);
        g.writeFieldName("finalErrorExact");
        Tables.writeValue(g, auditable ? t.exact().finalErrorExact() : null);
        Runs r = runs == null ? null : runs.of(f, t);
        g.writeFieldName("runId");
        Tables.writeValue(g, r == null ? null : r.sheetRunId());
        g.writeFieldName("exactRunId");
        Tables.writeValue(g, r == null ? null : r.exactRunId());
        g.writeEndObject();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.2g", v);
    }

    /** Text from a file as it may reach a terminal: control characters (escape sequences) shown as \\uXXXX. */
    static String safe(String s) {
        return HeaderNames.printable(s);
    }
}
