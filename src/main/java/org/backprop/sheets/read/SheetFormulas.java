package org.backprop.sheets.read;

import java.util.List;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.formula.EvaluationName;
import org.apache.poi.ss.formula.EvaluationWorkbook;
import org.apache.poi.ss.formula.FormulaParser;
import org.apache.poi.ss.formula.FormulaParsingWorkbook;
import org.apache.poi.ss.formula.FormulaRenderer;
import org.apache.poi.ss.formula.FormulaRenderingWorkbook;
import org.apache.poi.ss.formula.FormulaType;
import org.apache.poi.ss.formula.SheetIdentifier;
import org.apache.poi.ss.formula.SharedFormula;
import org.apache.poi.ss.formula.ptg.Area3DPxg;
import org.apache.poi.ss.formula.ptg.NamePtg;
import org.apache.poi.ss.formula.ptg.NameXPtg;
import org.apache.poi.ss.formula.ptg.Ptg;
import org.apache.poi.ss.formula.ptg.Ref3DPxg;
import org.apache.poi.ss.usermodel.Name;
import org.apache.poi.ss.usermodel.Table;
import org.apache.poi.ss.util.AreaReference;
import org.apache.poi.ss.util.CellReference;

/**
 * What POI's formula parser and renderer need to know of a workbook to read an .xlsx formula: its sheet names and
 * that it is an Excel 2007+ file. References to other sheets become POI's own 3D tokens; named ranges and tables are
 * not resolved (a formula using one cannot be explained, and says so).
 */
public final class SheetFormulas implements FormulaParsingWorkbook, FormulaRenderingWorkbook {
    private final List<String> sheets;

    public SheetFormulas(List<String> sheets) {
        this.sheets = List.copyOf(sheets);
    }

    /** The formula of {@code cell} as POI's tokens, a shared formula's cell translated from its master as Excel does. */
    public Ptg[] tokens(SheetCells sheet, Cell cell) {
        if (cell.formula() != null) {
            return FormulaParser.parse(cell.formula(), this, FormulaType.CELL, sheet.index(), cell.row());
        }
        SheetCells.SharedFormula master = sheet.sharedFormula(cell.shared());
        if (master == null) {
            throw new IllegalArgumentException("the shared formula " + cell.shared() + " has no master cell");
        }
        Ptg[] ptgs = FormulaParser.parse(master.formula(), this, FormulaType.CELL, sheet.index(), master.row());
        return new SharedFormula(SpreadsheetVersion.EXCEL2007).convertSharedFormulas(ptgs, cell.row() - master.row(), cell.column() - master.column());
    }

    /** The formula of {@code cell} as written in the cell, with its '='. */
    public String text(SheetCells sheet, Cell cell) {
        return "=" + (cell.formula() != null ? cell.formula() : FormulaRenderer.toFormulaString(this, tokens(sheet, cell)));
    }

    @Override
    public EvaluationName getName(String name, int sheetIndex) {
        return null;
    }

    @Override
    public Name createName() {
        throw new UnsupportedOperationException("the audit does not change workbooks");
    }

    @Override
    public Table getTable(String name) {
        return null;
    }

    @Override
    public Ptg getNameXPtg(String name, SheetIdentifier sheet) {
        return null;
    }

    @Override
    public Ptg get3DReferencePtg(CellReference cell, SheetIdentifier sheet) {
        return new Ref3DPxg(sheet, cell);
    }

    @Override
    public Ptg get3DReferencePtg(AreaReference area, SheetIdentifier sheet) {
        return new Area3DPxg(sheet, area);
    }

    @Override
    public int getExternalSheetIndex(String sheetName) {
        return sheets.indexOf(sheetName);
    }

    @Override
    public int getExternalSheetIndex(String workbookName, String sheetName) {
        return -1;
    }

    @Override
    public SpreadsheetVersion getSpreadsheetVersion() {
        return SpreadsheetVersion.EXCEL2007;
    }

    @Override
    public EvaluationWorkbook.ExternalSheet getExternalSheet(int externSheetIndex) {
        return null;
    }

    @Override
    public String getSheetFirstNameByExternSheet(int externSheetIndex) {
        return externSheetIndex >= 0 && externSheetIndex < sheets.size() ? sheets.get(externSheetIndex) : "#REF";
    }

    @Override
    public String getSheetLastNameByExternSheet(int externSheetIndex) {
        return getSheetFirstNameByExternSheet(externSheetIndex);
    }

    @Override
    public String resolveNameXText(NameXPtg nameX) {
        return "#NAME?";
    }

    @Override
    public String getNameText(NamePtg name) {
        return "#NAME?";
    }
}
