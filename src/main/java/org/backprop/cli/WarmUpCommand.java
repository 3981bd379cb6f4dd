package org.backprop.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backprop warm-up} (hidden): the workload the launcher records its start-up (AOT) cache from: a short training
 * run, its export as an .xlsx, and the audit of that sheet and of a copy with a wrong cell, so that the classes of the
 * commands people run most (Apache POI's above all) are loaded from the cache rather than from the jars.
 */
@Command(name = "warm-up", hidden = true, description = "Runs a small training, export and audit into FOLDER (for the launcher's start-up cache).")
final class WarmUpCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "FOLDER", description = "A scratch folder it may fill.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        String store = dir.resolve("store").toString();
        Path exact = dir.resolve("exact.xlsx");
        Path wrong = dir.resolve("wrong.xlsx");
        step(new String[] {"train", "--epochs", "2", "-q", "--db", store}, nowhere);
        step(new String[] {"export", "1", "--format", "xlsx", "--out", exact.toString(), "--db", store}, nowhere);
        try (XSSFWorkbook wb = new XSSFWorkbook(Files.newInputStream(exact)); OutputStream out = Files.newOutputStream(wrong)) {
            // The course template's mistake, so that the diagnosis (POI's formula parser) is part of the workload too.
            XSSFCell cell = wb.getSheetAt(0).getRow(5).getCell(25);
            cell.setCellFormula(cell.getCellFormula().replace("L6", "J6"));
            cell.setCellValue(cell.getNumericCellValue() * 1.001);
            wb.write(out);
        }
        for (String format : new String[] {"table", "json", "markdown"}) {
            Main.run(new String[] {"audit", exact.toString(), wrong.toString(), "--format", format}, nowhere, nowhere);
        }
        return 0;
    }

    private static void step(String[] args, PrintWriter nowhere) {
        int code = Main.run(args, nowhere, nowhere);
        if (code != 0) {
            throw new UncheckedIOException(new IOException("warm-up step " + String.join(" ", args) + " exited with " + code));
        }
    }
}
