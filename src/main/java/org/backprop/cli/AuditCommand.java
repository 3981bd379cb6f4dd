package org.backprop.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.backprop.sheets.Auditor;
import org.backprop.sheets.FileAudit;
import org.backprop.sheets.SheetFileException;
import org.backprop.sheets.TableAudit;
import org.backprop.sheets.Verdict;
import org.backprop.sheets.record.SheetRuns;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop audit}: checks hand-made backprop spreadsheets cell by cell and names the first wrong cell. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Checks hand-made backprop spreadsheets cell by cell. It finds every table of the",
            "tutorial's hand computation (t1 t2 i1 i2 w1..w4 h1 a_h1 h2 a_h2 w5..w8 o1 a_o1",
            "o2 a_o2 E1 E2 E_tot ∂E/∂w1..∂E/∂w8, one row per epoch) on every sheet of each",
            ".xlsx, checks each cell from its own inputs as they stand in the sheet, within",
            "the precision the file stores numbers with, and names the first wrong cell,",
            "its formula and why it is wrong. The exact run from the table's first row then",
            "says how far the sheet ends from the truth. Verdicts: exact, within-precision,",
            "defective, not-auditable (with the reason). A folder stands for its .xlsx files."},
        footer = {"", "Examples:",
            "  backprop audit BackPropagationSheet.xlsx",
            "  backprop audit sheets/ --format markdown > report.md   (every .xlsx there)",
            "  backprop audit student.xlsx --sheet 'LR = 0.1' --format json",
            "  backprop audit student.xlsx --lr 0.5      (a table that states no rate)",
            "  backprop audit student.xlsx --record && backprop diff 1 2",
            "", "Exit codes: 0 every table right (or not auditable), 1 a table is",
            "defective, 2 bad input (one line saying what to change; nothing recorded)."})
final class AuditCommand implements StoreCommand {
    static final int DEFECTIVE = 1;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The .xlsx workbooks (or folders of them) to audit.")
    List<Path> files;

    @Option(names = "--sheet", paramLabel = "NAME", description = "Audit only this sheet (repeatable). Default: every sheet.")
    List<String> sheets = new ArrayList<>();

    @Option(names = "--lr", paramLabel = "RATE", description = "The learning rate of a table that states none (no labelled cell, none in the sheet's name).")
    Double rate;

    @Option(names = "--format", paramLabel = "table|json|markdown", description = "Output format: table, json or markdown. Default: table.")
    Format format = Format.table;

    @Option(names = "--record", description = "Record each audited table as a run (the sheet's values), with the exact run from the same start beside it.")
    boolean record;

    /** Every file's audit, made before any store is opened. */
    private final List<FileAudit> audits = new ArrayList<>();

    /** Reads and audits every file, so a bad one is refused before anything is recorded; a store only for --record. */
    @Override
    public StoreAccess prepare() {
        if (format == Format.csv) {
            throw new BadInputException("audit prints --format table, json or markdown, not csv");
        }
        if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
            throw new BadInputException("--lr " + rate + " is not a learning rate: give a number greater than 0, such as --lr 0.1");
        }
        Auditor auditor = new Auditor(sheets, rate == null ? Double.NaN : rate);
        try {
            for (Path file : expand(files)) {
                audits.add(auditor.audit(file));
            }
        } catch (SheetFileException e) {
            // Every file is read before anything is recorded, so a bad one leaves the store as it was.
            throw new BadInputException(e.getMessage(), e);
        }
        return record ? StoreAccess.CREATE : null;
    }

    @Override
    public int call(EventStore store) {
        Map<TableAudit, AuditReport.Runs> recorded = new HashMap<>();
        if (store != null) {
            for (FileAudit f : audits) {
                for (TableAudit t : f.tables()) {
                    if (t.verdict() != Verdict.NOT_AUDITABLE) {
                        SheetRuns.Recorded r = SheetRuns.record(store, f, t);
                        recorded.put(t, new AuditReport.Runs(r.sheetRunId(), r.exactRunId()));
                    }
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        AuditReport.print(out, format, audits, record ? (f, t) -> recorded.get(t) : null);
        out.flush();
        return audits.stream().anyMatch(FileAudit::anyDefective) ? DEFECTIVE : 0;
    }

    /** The files given, a folder standing for its .xlsx files in name order. */
    private static List<Path> expand(List<Path> given) {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (!Files.isDirectory(p)) {
                out.add(p);
                continue;
            }
            try (Stream<Path> list = Files.list(p)) {
                List<Path> xlsx = list.filter(f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".xlsx")
                        && !f.getFileName().toString().startsWith("~$") && Files.isRegularFile(f)).sorted().toList();
                if (xlsx.isEmpty()) {
                    throw new BadInputException("the folder " + p + " holds no .xlsx file: give .xlsx files or a folder of them");
                }
                out.addAll(xlsx);
            } catch (IOException e) {
                throw new BadInputException("the folder " + p + " cannot be listed (" + e.getMessage() + "): check that you may read it", e);
            }
        }
        return out;
    }
}
