package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.backprop.sheets.TutorialSheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
    /** The keys every table of --format json has: the contract other tools rely on. */
    static final Set<String> TABLE_KEYS = Set.of("sheet", "headerRow", "firstRow", "lastRow", "epochs", "learningRate",
            "learningRateSource", "verdict", "reason", "firstWrongCell", "quantity", "found", "expected", "formula", "diagnosis",
            "wrongCells", "wrongColumns", "finalErrorSheet", "finalErrorExact", "runId");

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    /** A workbook in the course template's layout: six sheets, one per rate, each with the template's a_h1 defect. */
    private Path templateWorkbook() throws Exception {
        return TutorialSheet.courseWorkbook(dir.resolve("BackPropagationSheet.xlsx"));
    }

    @Test
    void theTemplateLayoutNamesZ33InEachOfItsSixTablesWithTheAH1Diagnosis() throws Exception {
        Cli cli = new Cli(dir);
        Cli.Result r = cli.run("audit", templateWorkbook().toString(), "--format", "json");
        assertEquals(1, r.exitCode(), r.err());
        JsonNode file = json.readTree(r.out());
        assertTrue(file.isObject());
        JsonNode tables = file.get("tables");
        assertEquals(6, tables.size());
        List<String> sheets = new ArrayList<>();
        for (JsonNode t : tables) {
            sheets.add(t.get("sheet").asText());
            assertEquals("Z33", t.get("firstWrongCell").asText());
            assertEquals("de_dw3", t.get("quantity").asText());
            assertEquals("uses a_h1 where a_h2 belongs", t.get("diagnosis").asText());
            assertEquals("defective", t.get("verdict").asText());
            assertEquals(136, t.get("wrongCells").asInt());
            assertEquals("[\"de_dw3\",\"de_dw4\"]", t.get("wrongColumns").toString());
            assertEquals(32, t.get("headerRow").asInt());
            assertEquals(33, t.get("firstRow").asInt());
            assertEquals(100, t.get("lastRow").asInt());
            assertEquals(68, t.get("epochs").asInt());
            assertEquals("cell G31, labelled 'η ='", t.get("learningRateSource").asText());
            assertTrue(t.get("formula").asText().startsWith("=((R33-A33)*R33*(1-R33)*N33"), t.get("formula").asText());
            assertTrue(t.get("runId").isNull());
            Set<String> keys = new TreeSet<>();
            t.fieldNames().forEachRemaining(keys::add);
            Set<String> missing = new TreeSet<>(TABLE_KEYS);
            missing.removeAll(keys);
            assertTrue(missing.isEmpty(), "missing: " + missing);
        }
        assertEquals(List.of("LR = 0.1", "LR = 0.2", "LR = 0.5", "LR = 0.8", "LR = 1.0", "LR=2.0"), sheets);
        Cli.Result table = cli.run("audit", dir.resolve("BackPropagationSheet.xlsx").toString(), "--sheet", "LR=2.0");
        assertTrue(table.out().contains("first wrong cell: Z33 (de_dw3)"), table.out());
        assertTrue(table.out().contains("diagnosis: uses a_h1 where a_h2 belongs"), table.out());
        assertTrue(table.out().contains("J33 = a_h1"), table.out());
    }

    @Test
    void severalFilesMakeAJsonArrayAndACorrectOneExitsZero() throws Exception {
        Path good = TutorialSheet.of(TutorialSheet.table().with(t -> t.rows = 5)).write(dir.resolve("good.xlsx"));
        Cli cli = new Cli(dir);
        Cli.Result one = cli.run("audit", good.toString());
        assertEquals(0, one.exitCode(), one.err());
        assertTrue(one.out().contains("exact: all"), one.out());
        Path bad = TutorialSheet.of(TutorialSheet.table().with(t -> { t.rows = 5; t.defect = TutorialSheet.Defect.T1_FOR_BOTH; t.targets = new double[] {0.01, 0.99}; }))
                .write(dir.resolve("bad.xlsx"));
        Cli.Result both = cli.run("audit", good.toString(), bad.toString(), "--format", "json");
        assertEquals(1, both.exitCode());
        JsonNode array = json.readTree(both.out());
        assertTrue(array.isArray());
        assertEquals(2, array.size());
        assertEquals("exact", array.get(0).get("tables").get(0).get("verdict").asText());
        assertEquals("V33", array.get(1).get("tables").get(0).get("firstWrongCell").asText());
        Cli.Result md = cli.run("audit", bad.toString(), "--format", "markdown");
        assertTrue(md.out().contains("| sheet | table | rows | learning rate | verdict |"), md.out());
        assertTrue(md.out().contains("**defective**"), md.out());
    }

    @Test
    void textFromTheWorkbookReachesTheTerminalWithoutItsControlCharacters() throws Exception {
        Path plain = TutorialSheet.of(TutorialSheet.table().with(t -> t.rows = 3)).write(dir.resolve("plain.xlsx"));
        Path marked = TutorialSheet.edited(plain, dir.resolve("marked.xlsx"), wb -> {
            var cell = wb.getSheetAt(0).getRow(33).getCell(8);
            cell.removeFormula();
            cell.setCellValue("oops-ESC-[2J");
        });
        // h1 of the second row holds text with an escape sequence, stored as Excel stores one: _x001B_.
        Path book = TutorialSheet.withEntry(marked, dir.resolve("evil.xlsx"), "xl/sharedStrings.xml",
                content -> new String(content, java.nio.charset.StandardCharsets.UTF_8).replace("-ESC-", "_x001B_")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Cli.Result r = new Cli(dir).run("audit", book.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertFalse(r.out().contains("\u001b"), r.out());
        assertTrue(r.out().contains("first wrong cell: I34 (h1) holds 'oops\\u001b[2J'"), r.out());
        assertTrue(r.out().contains("diagnosis: typed text where a formula belongs"), r.out());
    }

    @Test
    void badInputExitsTwoInOneLineAndRecordsNothing() throws Exception {
        Path good = TutorialSheet.of(TutorialSheet.table().with(t -> t.rows = 5)).write(dir.resolve("good.xlsx"));
        Path xls = Files.write(dir.resolve("old.xls"), new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0});
        Cli cli = new Cli(dir);
        Cli.Result r = cli.run("audit", good.toString(), xls.toString(), "--record");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("backprop: "), r.err());
        assertFalse(Files.exists(Path.of(cli.store() + ".mv.db")), "nothing recorded: no store was even created");
        assertEquals(2, cli.run("audit", good.toString(), "--lr", "-1").exitCode());
        assertEquals(2, cli.run("audit", good.toString(), "--format", "csv").exitCode());
    }

    @Test
    void recordKeepsTheSheetAndTheExactRunAndDiffShowsWhereTheyPart() throws Exception {
        Cli cli = new Cli(dir);
        Path book = TutorialSheet.of(TutorialSheet.template(0.5).with(t -> t.rows = 20)).write(dir.resolve("student.xlsx"));
        Cli.Result r = cli.run("audit", book.toString(), "--record", "--format", "json");
        assertEquals(1, r.exitCode(), r.err());
        JsonNode t = json.readTree(r.out()).get("tables").get(0);
        assertEquals(1, t.get("runId").asInt());
        assertEquals(2, t.get("exactRunId").asInt());

        Cli.Result diff = cli.run("diff", "1", "2", "--format", "json");
        assertEquals(0, diff.exitCode(), diff.err());
        JsonNode d = json.readTree(diff.out());
        assertEquals(true, d.get("initialWeightsEqual").asBoolean());
        assertEquals(1, d.get("firstDivergentEpoch").asInt(), "the sheet's w3 differs from epoch 1 on");
        assertEquals(t.get("finalErrorSheet").asDouble(), d.get("finalLossA").asDouble());
        assertEquals(t.get("finalErrorExact").asDouble(), d.get("finalLossB").asDouble());

        // The sheet run holds the sheet's own numbers: ∂E/∂w3 of epoch 0 is the wrong cell's value.
        Cli.Result sql = cli.run("sql", "SELECT de_dw3 FROM epoch_sheet WHERE run_id = 1 AND epoch = 0", "--format", "json");
        assertEquals(t.get("found").asDouble(), json.readTree(sql.out()).get(0).get("de_dw3").asDouble());
        // Deltas are not cells of the sheet: they are derived from its own a_o and t as the engine computes them.
        JsonNode row = json.readTree(cli.run("sql", "SELECT a_o1, t1 FROM epoch_sheet WHERE run_id = 1 AND epoch = 4", "--format", "json").out()).get(0);
        double ao1 = row.get("a_o1").asDouble();
        double delta = json.readTree(cli.run("sql", "SELECT delta FROM forward_values WHERE run_id = 1 AND epoch = 4 AND layer = 2 AND neuron = 1",
                "--format", "json").out()).get(0).get("delta").asDouble();
        assertEquals(-(row.get("t1").asDouble() - ao1) * (ao1 * (1 - ao1)), delta);
        JsonNode link = json.readTree(cli.run("sql", "SELECT parent_run_id, fork_epoch FROM runs WHERE run_id = 2", "--format", "json").out()).get(0);
        assertEquals(1, link.get("parent_run_id").asInt(), "the exact run is the sheet run's fork at epoch 0");
        assertEquals(0, link.get("fork_epoch").asInt());
        Cli.Result source = cli.run("sql", "SELECT config FROM run_started WHERE run_id = 1", "--format", "json");
        String config = json.readTree(source.out()).get(0).get("config").asText();
        assertTrue(config.contains("\"source\":{\"recordedFrom\":\"sheet\",\"file\":\"student.xlsx\",\"sha256\":\""), config);
        assertTrue(config.contains("\"sheet\":\"LR = 0.5\",\"table\":\"A32\"}"), config);

        Cli.Result verify = cli.run("verify");
        assertEquals(0, verify.exitCode(), verify.out());
        assertTrue(verify.out().contains("run 1 '"), verify.out());
        assertTrue(verify.out().contains("ok: recorded from a sheet (student.xlsx, sheet 'LR = 0.5', table at A32"), verify.out());
        assertTrue(verify.out().contains("run 2 '") && verify.out().contains("ok: 20 epochs re-executed bit for bit"), verify.out());

        // Exported and imported elsewhere, the sheet run is still a sheet run.
        Path lines = dir.resolve("sheet.jsonl");
        assertEquals(0, cli.run("export", "1", "--format", "jsonl", "--out", lines.toString()).exitCode());
        Cli.Result imported = cli.run("import", lines.toString(), "--db", dir.resolve("other").toString());
        assertEquals(0, imported.exitCode(), imported.err());
        Cli.Result again = cli.run("verify", "--db", dir.resolve("other").toString());
        assertTrue(again.out().contains("ok: recorded from a sheet (student.xlsx"), again.out());
    }

    @Test
    void anExportedSheetAuditsExactForSeveralRunsAndRates() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "-q").exitCode());
        assertEquals(0, cli.run("train", "-q", "--lr", "0.5", "--epochs", "250").exitCode());
        assertEquals(0, cli.run("train", "-q", "--lr", "2.0", "--epochs", "40").exitCode());
        assertEquals(0, cli.run("fork", "1", "--at", "60", "--lr", "1.3", "-q").exitCode());
        for (int run = 1; run <= 4; run++) {
            Path xlsx = dir.resolve("run" + run + ".xlsx");
            Cli.Result e = cli.run("export", Integer.toString(run), "--format", "xlsx", "--out", xlsx.toString());
            assertEquals(0, e.exitCode(), e.err());
            Cli.Result a = cli.run("audit", xlsx.toString(), "--format", "json");
            assertEquals(0, a.exitCode(), a.out());
            JsonNode t = json.readTree(a.out()).get("tables").get(0);
            assertEquals("exact", t.get("verdict").asText(), a.out());
            assertEquals(t.get("finalErrorExact").asDouble(), t.get("finalErrorSheet").asDouble());
        }
        try (var wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(Files.newInputStream(dir.resolve("run1.xlsx")))) {
            var sheet = wb.getSheetAt(0);
            assertEquals("LR = 0.1", sheet.getSheetName());
            assertEquals("η =", sheet.getRow(2).getCell(5).getStringCellValue());
            assertEquals("E34-$G$3*X34", sheet.getRow(34).getCell(4).getCellFormula(), "updates refer to the rate cell absolutely");
            assertEquals(0.15, sheet.getRow(5).getCell(4).getNumericCellValue(), "the initial weights are typed in");
            assertEquals(1, sheet.getDrawingPatriarch().getCharts().size(), "a loss chart beside the table");
        }
        Cli.Result csv = cli.run("export", "1", "--format", "xlsx");
        assertEquals(2, csv.exitCode());
        assertTrue(csv.err().contains("give --out FILE.xlsx"), csv.err());
    }

    @Test
    void anExportedSheetsFormulasRecalculateToWhatItStores() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "-q", "--lr", "0.8", "--epochs", "30").exitCode());
        Path xlsx = dir.resolve("exact.xlsx");
        assertEquals(0, cli.run("export", "1", "--format", "xlsx", "--out", xlsx.toString()).exitCode());
        // Recalculated by another engine (POI's evaluator), the live formulas still audit right: they are the tutorial's.
        Path recalculated = TutorialSheet.edited(xlsx, dir.resolve("recalculated.xlsx"),
                org.apache.poi.xssf.usermodel.XSSFFormulaEvaluator::evaluateAllFormulaCells);
        Cli.Result a = cli.run("audit", recalculated.toString(), "--format", "json");
        assertEquals(0, a.exitCode(), a.out());
        String verdict = json.readTree(a.out()).get("tables").get(0).get("verdict").asText();
        assertTrue(verdict.equals("exact") || verdict.equals("within-precision"), verdict);
    }
}
