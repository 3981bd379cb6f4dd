package org.backprop.sheets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.backprop.sheets.TutorialSheet.Defect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuditTest {
    @TempDir
    Path dir;

    private FileAudit audit(TutorialSheet sheet) throws Exception {
        return new Auditor(List.of(), Double.NaN).audit(sheet.write(dir.resolve("t.xlsx")));
    }

    private TableAudit only(TutorialSheet sheet) throws Exception {
        FileAudit f = audit(sheet);
        assertEquals(1, f.tables().size(), f.tables().toString());
        return f.tables().get(0);
    }

    @Test
    void aCorrectExcelSheetIsExactAndEndsWhereTheEngineDoes() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table()));
        assertEquals(Verdict.EXACT, t.verdict(), () -> String.valueOf(t.check()));
        assertEquals(68 * 27 - 8, t.check().checked());
        assertEquals(17, t.precision().digits());
        assertEquals(33, t.firstRow());
        assertEquals(100, t.lastRow());
        assertEquals(0.1, t.table().rate().value());
        assertEquals("cell G31, labelled 'η ='", t.table().rate().source());
        assertEquals(t.exact().finalErrorExact(), t.exact().finalErrorSheet(), 1e-15);
    }

    @Test
    void aSheetStoredWithTenDigitsIsWithinPrecisionNotExact() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table()).storedBy("", 10));
        assertEquals(Verdict.WITHIN_PRECISION, t.verdict(), () -> String.valueOf(t.check().wrong()));
        assertEquals(10, t.precision().digits());
        assertTrue(t.check().largestRelative() > 1e-12, "10 digits are further than 1e-12 from the exact values");
    }

    @Test
    void aLibreOfficeSheetKeepsFifteenDigits() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table()).storedBy("LibreOffice/7.6.4.1$Linux_X86_64", 15));
        assertEquals(15, t.precision().digits());
        assertTrue(t.verdict() == Verdict.EXACT || t.verdict() == Verdict.WITHIN_PRECISION, t.verdict().label());
    }

    @Test
    void theTemplatesDefectIsFoundInItsFirstRowAndExplained() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.template(0.5)));
        assertEquals(Verdict.DEFECTIVE, t.verdict());
        assertEquals("Z33", t.firstWrongCell());
        assertEquals(Quantity.DE_DW3, t.check().wrong().quantity());
        assertEquals("uses a_h1 where a_h2 belongs", t.diagnosis().sentence());
        assertEquals(2 * 68, t.check().wrongCells());
        assertEquals(java.util.Set.of(Quantity.DE_DW3, Quantity.DE_DW4), t.check().wrongColumns());
        assertEquals("a_h1", t.diagnosis().references().get("J33"));
        assertEquals("w6", t.diagnosis().references().get("N33"));
        // The gradient is 2.6e-4 off, while E_total drifts far less: a fixed 1e-6 on the error would miss it.
        double relative = Math.abs(t.check().wrong().found() - t.check().wrong().expected()) / t.check().wrong().expected();
        assertEquals(2.6e-4, relative, 0.1e-4);
        assertTrue(Math.abs(t.exact().finalErrorSheet() - t.exact().finalErrorExact()) / t.exact().finalErrorExact() < 1e-6);
    }

    @Test
    void missingBracketsAreNamedWhenOnlyOneBranchIsMultipliedByTheDerivative() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> x.defect = Defect.MISSING_BRACKETS)));
        assertEquals("X33", t.firstWrongCell());
        assertEquals("the sum of the two output branches is not in brackets, so only the last one is multiplied by a_h1·(1 − a_h1)·i1: expected "
                + t.check().wrong().expected(), t.diagnosis().sentence());
    }

    @Test
    void rightReferencesWithAWrongOperatorAreWrongArithmetic() throws Exception {
        Path file = TutorialSheet.of(TutorialSheet.table().with(x -> x.rows = 3)).write(dir.resolve("sign.xlsx"));
        Path changed = TutorialSheet.edited(file, dir.resolve("changed.xlsx"), wb -> {
            wb.getSheetAt(0).getRow(33).getCell(8).setCellFormula("E34*C34-F34*D34");
            org.apache.poi.xssf.usermodel.XSSFFormulaEvaluator.evaluateAllFormulaCells(wb);
        });
        TableAudit t = new Auditor(List.of(), Double.NaN).audit(changed).tables().get(0);
        assertEquals("I34", t.firstWrongCell());
        assertEquals("its references are right, so the arithmetic is wrong (brackets, signs, operators): expected " + t.check().wrong().expected(),
                t.diagnosis().sentence());
    }

    @Test
    void aW3UpdateUsingTheW1GradientIsNamed() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> x.defect = Defect.W3_USES_DE_DW1)));
        assertEquals("G34", t.firstWrongCell());
        assertEquals("uses de_dw1 where de_dw3 belongs", t.diagnosis().sentence());
        assertEquals("=G33-$G$31*X33", t.diagnosis().formula());
    }

    @Test
    void anUnanchoredRateThatSlidesIsNamedWithTheCellItReached() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> x.defect = Defect.UNANCHORED_RATE)));
        // Row 34 still reaches G31; row 35 reaches the header cell G32.
        assertEquals("E35", t.firstWrongCell());
        assertEquals("#VALUE!", t.check().wrong().shown());
        assertEquals("uses G32 (the header cell 'w3') where the learning rate belongs: the reference to the rate cell is not anchored ($G$31)",
                t.diagnosis().sentence());
    }

    @Test
    void anUnanchoredRateReachingAWeightCellNamesThatWeight() throws Exception {
        // The rate right above the header's w3 column, two rows up: the slide lands on w3 of the first data row.
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> {
            x.defect = Defect.UNANCHORED_RATE;
            x.rateRowsAbove = 1;
        })));
        assertTrue(t.diagnosis().sentence().contains("not anchored ($G$31)"), t.diagnosis().sentence());
        List<String> later = new java.util.ArrayList<>();
        t.diagnosis().references().forEach((k, v) -> later.add(k + "=" + v));
        assertTrue(later.contains("G32=the header cell 'w3'"), later.toString());
    }

    @Test
    void aOTimesTIsNamedAsTheProductItIs() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> x.defect = Defect.A_O_TIMES_T)));
        assertEquals("AB33", t.firstWrongCell());
        assertEquals("multiplies a_o1 by t1 where a_o1 − t1 belongs", t.diagnosis().sentence());
    }

    @Test
    void t1ForBothOutputsIsNamed() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> {
            x.defect = Defect.T1_FOR_BOTH;
            x.targets = new double[] {0.01, 0.99};
        })));
        assertEquals("V33", t.firstWrongCell());
        assertEquals("uses t1 where t2 belongs", t.diagnosis().sentence());
    }

    @Test
    void aPastedStaleValueIsATypedNumberWhereAFormulaBelongs() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> x.defect = Defect.PASTED_STALE_VALUE)));
        assertEquals("J37", t.firstWrongCell());
        assertEquals("a typed number where a formula belongs", t.diagnosis().sentence());
        assertNull(t.diagnosis().formula());
        assertEquals(1, t.check().typedCells());
    }

    @Test
    void aTablePastedAsSixDigitValuesIsWithinItsOwnPrecisionAndSaysSo() throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table()).pastedAsValues(6));
        assertEquals(Verdict.WITHIN_PRECISION, t.verdict(), () -> String.valueOf(t.check().wrong()));
        assertEquals(68 * 27 - 8, t.check().typedCells());
    }

    @ParameterizedTest
    @EnumSource(value = Defect.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyDefectIsDefective(Defect defect) throws Exception {
        TableAudit t = only(TutorialSheet.of(TutorialSheet.table().with(x -> {
            x.defect = defect;
            x.targets = new double[] {0.01, 0.99};
        })));
        assertEquals(Verdict.DEFECTIVE, t.verdict(), defect.name());
    }
}
