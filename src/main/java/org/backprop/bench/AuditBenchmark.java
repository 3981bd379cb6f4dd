package org.backprop.bench;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.backprop.model.RunConfig;
import org.backprop.sheets.Auditor;
import org.backprop.sheets.FileAudit;
import org.backprop.sheets.Verdict;
import org.backprop.sheets.write.ExactSheetWriter;

/**
 * The audit's workloads: one 100-row table audited in the process (median of warm runs) and as a whole command beyond
 * start-up (minus {@code backprop --version}), and {@code audit} on a folder of 100 workbooks in one process.
 */
final class AuditBenchmark {
    private AuditBenchmark() {
    }

    static void run(Path dir, boolean quick, Bench.Figures out, Bench.Command processes) throws Exception {
        Path hundred = sheet(dir.resolve("hundred.xlsx"), 0.5, 100);
        Auditor auditor = new Auditor(List.of(), Double.NaN);
        int reps = quick ? 10 : 30;
        double[] ms = new double[reps];
        for (int i = 0; i < 5; i++) {
            check(auditor.audit(hundred));
        }
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            check(auditor.audit(hundred));
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        out.figure("audit.100_rows.in_process.median", ms[reps / 2], "ms", "<", 300);

        // The first audit of a new jar records audit's start-up cache, as a user's first one would: not timed.
        processes.time(List.of("audit", hundred.toString()));
        int whole = quick ? 3 : 7;
        double[] audit = new double[whole];
        double[] version = new double[whole];
        for (int i = 0; i < whole; i++) {
            audit[i] = processes.time(List.of("audit", hundred.toString()));
            version[i] = processes.time(List.of("--version"));
        }
        Arrays.sort(audit);
        Arrays.sort(version);
        out.figure("audit.100_rows.whole_process", audit[whole / 2], "s", null, 0);
        out.figure("audit.100_rows.beyond_startup", audit[whole / 2] - version[whole / 2], "s", "<", 0.3);

        Path folder = Files.createDirectories(dir.resolve("sheets"));
        double[] rates = {0.1, 0.2, 0.5, 0.8, 1.0, 2.0};
        for (int i = 0; i < 100; i++) {
            sheet(folder.resolve(String.format("student-%03d.xlsx", i)), rates[i % rates.length], 60 + i % 41);
        }
        out.figure("audit.folder_of_100_sheets.whole_process", processes.time(List.of("audit", folder.toString())), "s", "<", 10);
    }

    private static void check(FileAudit audit) {
        if (audit.tables().size() != 1 || audit.tables().get(0).verdict() != Verdict.EXACT) {
            throw new IllegalStateException("benchmark check failed: the exact sheet did not audit exact: " + audit.tables());
        }
    }

    /** The exact sheet of the seed network trained at {@code rate} for {@code epochs}, as export --format xlsx writes it. */
    private static Path sheet(Path file, double rate, int epochs) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            ExactSheetWriter.write(RunConfig.seed().withLearningRate(rate).withEpochs(epochs), e -> e, out);
        }
        return file;
    }
}
