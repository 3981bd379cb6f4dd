package org.backprop.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.backprop.model.RunConfig;
import org.backprop.sheets.write.ExactSheetWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backprop warm-up} (hidden): writes the two sheets the launcher audits to record audit's start-up (AOT) cache:
 * the exact sheet of a short seed run, and a copy with one wrong cell, so that the diagnosis is part of the workload.
 */
@Command(name = "warm-up", hidden = true, description = "Writes exact.xlsx and wrong.xlsx into FOLDER (for the launcher's start-up cache of audit).")
final class WarmUpCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "FOLDER", description = "A folder it may write two files into.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        RunConfig config = RunConfig.seed().withEpochs(20);
        try (OutputStream out = Files.newOutputStream(dir.resolve("exact.xlsx"))) {
            ExactSheetWriter.write(config, e -> e, out);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("wrong.xlsx"))) {
            // One gradient a little off, as the course template's is: the audit then diagnoses its formula too.
            ExactSheetWriter.write(config, e -> e.epoch() != 3 ? e : ExactSheetWriter.withGradient(e, 2, e.weightGradient(2) * 1.0003), out);
        }
        return 0;
    }
}
