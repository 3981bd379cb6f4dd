package org.backprop.sheets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LayoutTest {
    @TempDir
    Path dir;

    private FileAudit audit(TutorialSheet sheet, double lr) throws Exception {
        return new Auditor(List.of(), lr).audit(sheet.write(dir.resolve("t.xlsx")));
    }

    private TableAudit only(TutorialSheet sheet) throws Exception {
        FileAudit f = audit(sheet, Double.NaN);
        assertEquals(1, f.tables().size(), f.tables().toString());
        return f.tables().get(0);
    }

    @Test
    void aHeaderAnywhereWithADescriptiveRowUnderItIsFound() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> {
            x.headerRow = 12;
            x.firstColumn = 3;
            x.rateLabelColumn = 2;
            x.descriptiveRow = true;
            x.rows = 20;
        })));
        assertEquals("D12", t.table().position());
        assertEquals(12, t.headerRow());
        assertEquals(14, t.firstRow());
        assertEquals(33, t.lastRow());
        assertEquals(Verdict.EXACT, t.verdict());
    }

    @Test
    void aStepColumnAndALegendBesideTheTableAreNotPartOfIt() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> {
            x.firstColumn = 2;
            x.rateLabelColumn = 0;
            x.stepColumn = true;
            x.legend = true;
            x.rows = 10;
        })));
        assertEquals("C32", t.table().position());
        assertEquals(Verdict.EXACT, t.verdict());
    }

    @Test
    void severalTablesOnOneSheetEachKeepTheirOwnRate() throws Exception {
        FileAudit f = audit(TutorialSheet.of(
                TutorialSheet.table().with(x -> { x.headerRow = 5; x.rows = 10; x.rate = 0.5; }),
                TutorialSheet.table().with(x -> { x.headerRow = 25; x.rows = 12; x.rate = 2.0; x.defect = TutorialSheet.Defect.TEMPLATE_A_H1; })), Double.NaN);
        assertEquals(2, f.tables().size());
        assertEquals(0.5, f.tables().get(0).table().rate().value());
        assertEquals(Verdict.EXACT, f.tables().get(0).verdict());
        assertEquals(2.0, f.tables().get(1).table().rate().value());
        assertEquals("Z26", f.tables().get(1).firstWrongCell());
    }

    @ParameterizedTest
    @CsvSource({"a_h, a_o", "out_h, out_o", "a_h, a_O", "A_H, A_O"})
    void everyActivationSpellingIsRead(String hidden, String output) throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> {
            x.rows = 5;
            x.headers[9] = hidden + "1";
            x.headers[11] = hidden + "2";
            x.headers[17] = output + "1";
            x.headers[19] = output + "2";
        })));
        assertEquals(Verdict.EXACT, t.verdict(), String.join(",", t.table().missing().stream().map(Quantity::label).toList()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"E_tot", "E_total", "E_Total", "E_t"})
    void everyTotalErrorSpellingIsRead(String spelling) throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> { x.rows = 4; x.headers[22] = spelling; })));
        assertEquals(Verdict.EXACT, t.verdict());
    }

    @ParameterizedTest
    @ValueSource(strings = {"∂E/∂w#", "∂E_total/∂w#", "δE_tot/δw#", "∂E∂W#", "E∂w#", "∂E_t/∂W#"})
    void everyGradientSpellingIsRead(String spelling) throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> {
            x.rows = 4;
            for (int k = 1; k <= 8; k++) {
                x.headers[22 + k] = spelling.replace("#", Integer.toString(k));
            }
            for (int k = 1; k <= 4; k++) {
                x.headers[3 + k] = "W" + k;
            }
        })));
        assertEquals(Verdict.EXACT, t.verdict());
    }

    @ParameterizedTest
    @ValueSource(strings = {"η =", "η=", "eta", "learning rate: η =", "Learning Rate", "L.R", "LR", "n =", "h", "ͷ"})
    void everyRateLabelIsRead(String label) throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> { x.rows = 4; x.rate = 0.8; x.rateLabel = label; })));
        assertEquals(0.8, t.table().rate().value());
        assertEquals("cell G31, labelled '" + label.strip() + "'", t.table().rate().source());
        assertEquals(Verdict.EXACT, t.verdict());
    }

    @ParameterizedTest
    @ValueSource(strings = {"LR 0.5", "LR = 0.5", "LR=0.5", "LR_0.5", "L.R. 0.5"})
    void aRateInTheSheetsNameServesATableWithoutARateCell(String name) throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> {
            x.rows = 4;
            x.rate = 0.5;
            x.sheet = name;
            x.rateLabel = "rate cell without a label";
        })));
        assertEquals(0.5, t.table().rate().value());
        assertEquals("the sheet's name '" + name + "'", t.table().rate().source());
    }

    @Test
    void withoutAnyRateTheTableIsNotAuditableUnlessLrGivesOne() throws Exception {
        TutorialSheet s = TutorialSheet.of(TutorialSheet.table().with(x -> { x.rows = 4; x.rate = 0.5; x.rateLabel = "note"; }));
        TableAudit none = audit(s, Double.NaN).tables().get(0);
        assertEquals(Verdict.NOT_AUDITABLE, none.verdict());
        assertTrue(none.reason().contains("give --lr RATE"), none.reason());
        TableAudit given = audit(s, 0.5).tables().get(0);
        assertEquals("--lr", given.table().rate().source());
        assertEquals(Verdict.EXACT, given.verdict());
    }

    @Test
    void aMissingColumnOrASingleRowIsNotAuditable() throws Exception {
        TableAudit missing = only(TutorialSheet.of(TutorialSheet.table().with(x -> { x.rows = 4; x.headers[30] = "notes"; })));
        assertEquals(Verdict.NOT_AUDITABLE, missing.verdict());
        assertEquals("the column de_dw8 is missing (its header names 30 of the 31)", missing.reason());
        TableAudit single = only(TutorialSheet.of(TutorialSheet.table().with(x -> x.rows = 1)));
        assertEquals(Verdict.NOT_AUDITABLE, single.verdict());
        assertTrue(single.reason().startsWith("it has one data row only"), single.reason());
    }

    @Test
    void aSheetWithoutATableIsListedAndSkipped() throws Exception {
        FileAudit f = audit(TutorialSheet.of(TutorialSheet.table().with(x -> x.rows = 3)).withTextSheet("Notes"), Double.NaN);
        assertEquals(List.of("Notes"), f.sheetsWithoutTables());
        assertEquals(1, f.tables().size());
    }
}
