package org.backprop.sheets;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFFormulaEvaluator;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Makes hand-computed backprop workbooks the way students make them: formulas typed per column in A1 notation, filled
 * down, then calculated (by POI's evaluator, as Excel would on saving), with the layout, header spellings, rate label,
 * stored digits and defect each test asks for. The tests' own sheets: nothing here is copied from a real one.
 */
public final class TutorialSheet {
    /** The mistakes students make, one at a time. */
    public enum Defect {
        NONE,
        /** The course template's: ∂E/∂w3 and ∂E/∂w4 multiply by a_h1·(1 − a_h1) where a_h2·(1 − a_h2) belongs. */
        TEMPLATE_A_H1,
        /** Only the second branch of ∂E/∂w1 multiplied by the derivative. */
        MISSING_BRACKETS,
        /** w3's update subtracts η·∂E/∂w1. */
        W3_USES_DE_DW1,
        /** The rate typed as G31 instead of $G$31, so it slides down as the formula is filled down. */
        UNANCHORED_RATE,
        /** (a_o1·t1) where (a_o1 − t1) belongs, in ∂E/∂w5. */
        A_O_TIMES_T,
        /** E2 computed from t1. */
        T1_FOR_BOTH,
        /** One a_h1 cell typed in (the value of the row above) where its formula belongs. */
        PASTED_STALE_VALUE
    }

    static final String[] TEMPLATE_HEADERS = {"t1", "t2", "i1", "i2", "w1", "w2", "w3", "w4", "h1", "a_h1", "h2", "a_h2",
        "w5", "w6", "w7", "w8", "o1", "a_o1", "o2", "a_o2", "E1", "E2", "E_tot",
        "∂E/∂w1", "∂E/∂w2", "∂E/∂w3", "∂E/∂w4", "∂E/∂w5", "∂E/∂w6", "∂E/∂w7", "∂E/∂w8"};

    /** One table's layout and content. */
    public static final class Table {
        public String sheet = "Sheet1";
        public int headerRow = 32;          // as Excel numbers rows
        public int firstColumn = 0;         // A
        public String[] headers = TEMPLATE_HEADERS.clone();
        public int rows = 68;
        public double rate = 0.1;
        public double[] weights = {0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55};
        public double[] inputs = {0.05, 0.1};
        public double[] targets = {0.5, 0.5};
        public String rateLabel = "η =";
        /** The label's cell relative to the header: rows above it, and its column (the rate is in the next). */
        public int rateRowsAbove = 1;
        public int rateLabelColumn = 5;     // F, so the rate is in G like the template's
        public boolean rateCell = true;
        public boolean descriptiveRow;
        public boolean stepColumn;
        public boolean legend;
        public Defect defect = Defect.NONE;
        int firstDataRow;
        int aH1Column;

        public Table with(java.util.function.Consumer<Table> change) {
            change.accept(this);
            return this;
        }
    }

    private final List<Table> tables = new ArrayList<>();
    private String application = "Microsoft Excel";
    private int digits = 17;
    private int pastedDigits;
    private final List<String> textSheets = new ArrayList<>();

    /**
     * The workbook of the course in its template's layout, as the README's audit section audits it: six sheets, one
     * per rate ({@code LR = 0.1} ... {@code LR=2.0}), each with the template's a_h1 defect, stored as Excel stores it.
     */
    public static Path courseWorkbook(Path file) throws IOException {
        List<Table> sheets = new ArrayList<>();
        for (String rate : List.of("0.1", "0.2", "0.5", "0.8", "1.0", "2.0")) {
            Table t = template(Double.parseDouble(rate));
            t.sheet = rate.equals("2.0") ? "LR=2.0" : "LR = " + rate;
            sheets.add(t);
        }
        return of(sheets.toArray(Table[]::new)).storedBy("Microsoft Macintosh Excel", 17).write(file);
    }

    public static TutorialSheet of(Table... tables) {
        TutorialSheet s = new TutorialSheet();
        s.tables.addAll(List.of(tables));
        return s;
    }

    public static Table table() {
        return new Table();
    }

    /** The course template's layout: explanations above, 'η =' in F31 with the rate in G31, the header in row 32, 68 rows. */
    public static Table template(double rate) {
        return table().with(t -> {
            t.sheet = "LR = " + rate;
            t.rate = rate;
            t.defect = Defect.TEMPLATE_A_H1;
        });
    }

    /** Stores every computed value with {@code digits} significant digits and names {@code application} in docProps/app.xml. */
    public TutorialSheet storedBy(String app, int significantDigits) {
        this.application = app;
        this.digits = significantDigits;
        return this;
    }

    /** Replaces every formula by its value typed with {@code significantDigits} digits, as Paste Special > Values of a display does. */
    public TutorialSheet pastedAsValues(int significantDigits) {
        this.pastedDigits = significantDigits;
        return this;
    }

    public TutorialSheet withTextSheet(String name) {
        textSheets.add(name);
        return this;
    }

    public Path write(Path file) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            for (Table t : tables) {
                XSSFSheet sheet = wb.getSheet(t.sheet) != null ? wb.getSheet(t.sheet) : wb.createSheet(t.sheet);
                write(sheet, t);
            }
            for (String name : textSheets) {
                wb.createSheet(name).createRow(0).createCell(0).setCellValue("notes: h1 = w1*i1 + w2*i2, a_h1 = σ(h1)");
            }
            XSSFFormulaEvaluator.evaluateAllFormulaCells(wb);
            boolean pasted = false;
            for (Table t : tables) {
                if (t.defect == Defect.PASTED_STALE_VALUE) {
                    // a_h1 of the fifth row typed over with the fourth row's value; Excel then recalculates the rest.
                    XSSFSheet sheet = wb.getSheet(t.sheet);
                    double above = sheet.getRow(t.firstDataRow + 3).getCell(t.aH1Column).getNumericCellValue();
                    XSSFCell target = sheet.getRow(t.firstDataRow + 4).getCell(t.aH1Column);
                    target.removeFormula();
                    target.setCellValue(above);
                    pasted = true;
                }
            }
            if (pasted) {
                XSSFFormulaEvaluator.evaluateAllFormulaCells(wb);
            }
            if (digits < 17 || pastedDigits > 0) {
                for (int i = 0; i < wb.getNumberOfSheets(); i++) {
                    round(wb.getSheetAt(i));
                }
            }
            wb.getProperties().getExtendedProperties().setApplication(application);
            try (OutputStream out = Files.newOutputStream(file)) {
                wb.write(out);
            }
        }
        return file;
    }

    /** A copy of workbook {@code from} at {@code to}, changed by {@code change} as a user editing it in POI would. */
    public static Path edited(Path from, Path to, java.util.function.Consumer<XSSFWorkbook> change) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(Files.newInputStream(from)); OutputStream out = Files.newOutputStream(to)) {
            change.accept(wb);
            wb.write(out);
        }
        return to;
    }

    /** A copy of the .xlsx {@code from} at {@code to} whose zip entry {@code entry} is replaced by what {@code change} makes of it. */
    public static Path withEntry(Path from, Path to, String entry, java.util.function.UnaryOperator<byte[]> change) throws IOException {
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(from.toFile());
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            for (var entries = in.entries(); entries.hasMoreElements(); ) {
                var e = entries.nextElement();
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                byte[] content = in.getInputStream(e).readAllBytes();
                out.write(e.getName().equals(entry) ? change.apply(content) : content);
                out.closeEntry();
            }
        }
        return to;
    }

    private void round(XSSFSheet sheet) {
        for (var row : sheet) {
            for (var c : row) {
                XSSFCell cell = (XSSFCell) c;
                if (cell.getCellType() == CellType.FORMULA && cell.getCachedFormulaResultType() == CellType.NUMERIC) {
                    double v = cell.getNumericCellValue();
                    if (pastedDigits > 0) {
                        cell.removeFormula();
                        cell.setCellValue(rounded(v, pastedDigits));
                    } else {
                        cell.setCellValue(rounded(v, digits));
                    }
                }
            }
        }
    }

    static double rounded(double v, int significantDigits) {
        return v == 0 ? 0 : new BigDecimal(v).round(new MathContext(significantDigits)).doubleValue();
    }

    private static void write(XSSFSheet sheet, Table t) {
        int header = t.headerRow - 1;
        Map<String, Integer> col = new java.util.HashMap<>();
        String[] names = {"t1", "t2", "i1", "i2", "w1", "w2", "w3", "w4", "h1", "a_h1", "h2", "a_h2", "w5", "w6", "w7", "w8",
            "o1", "a_o1", "o2", "a_o2", "e1", "e2", "e_tot", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8"};
        for (int i = 0; i < names.length; i++) {
            col.put(names[i], t.firstColumn + i);
        }
        // A little of the template's explanation text above, which mentions the names without being a header.
        cell(sheet, Math.max(0, header - 8), t.firstColumn + 9).setCellValue("h1 = w1*i1 + w2*i2");
        cell(sheet, Math.max(0, header - 7), t.firstColumn + 9).setCellValue("a_h1 = σ(h1) = 1/(1 + exp(-h1))");
        cell(sheet, Math.max(0, header - 6), t.firstColumn + 2).setCellValue(5);
        String rateRef = null;
        if (t.rateCell) {
            int rr = header - t.rateRowsAbove;
            cell(sheet, rr, t.rateLabelColumn).setCellValue(t.rateLabel);
            cell(sheet, rr, t.rateLabelColumn + 1).setCellValue(t.rate);
            rateRef = new CellReference(rr, t.rateLabelColumn + 1, true, true).formatAsString();
        }
        for (int i = 0; i < t.headers.length; i++) {
            cell(sheet, header, t.firstColumn + i).setCellValue(t.headers[i]);
        }
        if (t.stepColumn) {
            cell(sheet, header, t.firstColumn - 1).setCellValue("Step");
        }
        if (t.legend) {
            int legendColumn = t.firstColumn + names.length + 1;
            cell(sheet, header, legendColumn).setCellValue("i1");
            cell(sheet, header, legendColumn + 1).setCellValue(t.inputs[0]);
            cell(sheet, header + 1, legendColumn).setCellValue("w1");
            cell(sheet, header + 1, legendColumn + 1).setCellValue(t.weights[0]);
        }
        int first = header + 1;
        if (t.descriptiveRow) {
            for (int i = 0; i < names.length; i++) {
                cell(sheet, first, t.firstColumn + i).setCellValue(i < 4 ? "given" : "computed");
            }
            first++;
        }
        for (int k = 0; k < t.rows; k++) {
            int r = first + k;
            String n = Integer.toString(r + 1);
            String p = Integer.toString(r);
            java.util.function.Function<String, String> at = q -> CellReference.convertNumToColString(col.get(q)) + n;
            java.util.function.Function<String, String> before = q -> CellReference.convertNumToColString(col.get(q)) + p;
            if (t.stepColumn) {
                cell(sheet, r, t.firstColumn - 1).setCellValue(k);
            }
            Map<String, String> f = new java.util.LinkedHashMap<>();
            String[] io = {"t1", "t2", "i1", "i2"};
            double[] ioValues = {t.targets[0], t.targets[1], t.inputs[0], t.inputs[1]};
            for (int i = 0; i < 4; i++) {
                if (k == 0) {
                    cell(sheet, r, col.get(io[i])).setCellValue(ioValues[i]);
                } else {
                    f.put(io[i], "=" + before.apply(io[i]));
                }
            }
            for (int w = 1; w <= 8; w++) {
                if (k == 0) {
                    cell(sheet, r, col.get("w" + w)).setCellValue(t.weights[w - 1]);
                    continue;
                }
                String gradient = t.defect == Defect.W3_USES_DE_DW1 && w == 3 ? "g1" : "g" + w;
                String rate = rateRef;
                if (t.defect == Defect.UNANCHORED_RATE) {
                    // Typed right in the first update row, then filled down: the relative row slides.
                    CellReference anchored = new CellReference(rateRef);
                    rate = new CellReference(anchored.getRow() + k - 1, anchored.getCol(), false, false).formatAsString();
                }
                f.put("w" + w, "=" + before.apply("w" + w) + "-" + rate + "*" + before.apply(gradient));
            }
            f.put("h1", "=" + at.apply("w1") + "*" + at.apply("i1") + "+" + at.apply("w2") + "*" + at.apply("i2"));
            f.put("a_h1", "=1/(1+EXP(-" + at.apply("h1") + "))");
            f.put("h2", "=" + at.apply("w3") + "*" + at.apply("i1") + "+" + at.apply("w4") + "*" + at.apply("i2"));
            f.put("a_h2", "=1/(1+EXP(-" + at.apply("h2") + "))");
            f.put("o1", "=" + at.apply("w5") + "*" + at.apply("a_h1") + "+" + at.apply("w6") + "*" + at.apply("a_h2"));
            f.put("a_o1", "=1/(1+EXP(-" + at.apply("o1") + "))");
            f.put("o2", "=" + at.apply("w7") + "*" + at.apply("a_h1") + "+" + at.apply("w8") + "*" + at.apply("a_h2"));
            f.put("a_o2", "=1/(1+EXP(-" + at.apply("o2") + "))");
            f.put("e1", "=0.5*(" + at.apply("t1") + "-" + at.apply("a_o1") + ")^2");
            f.put("e2", "=0.5*(" + at.apply(t.defect == Defect.T1_FOR_BOTH ? "t1" : "t2") + "-" + at.apply("a_o2") + ")^2");
            f.put("e_tot", "=" + at.apply("e1") + "+" + at.apply("e2"));
            String d1 = "(" + at.apply("a_o1") + "-" + at.apply("t1") + ")*" + at.apply("a_o1") + "*(1-" + at.apply("a_o1") + ")";
            String d2 = "(" + at.apply("a_o2") + "-" + at.apply("t2") + ")*" + at.apply("a_o2") + "*(1-" + at.apply("a_o2") + ")";
            String s1 = at.apply("a_h1") + "*(1-" + at.apply("a_h1") + ")";
            String s2h = t.defect == Defect.TEMPLATE_A_H1 ? "a_h1" : "a_h2";
            String s2 = at.apply(s2h) + "*(1-" + at.apply(s2h) + ")";
            String branch1 = d1 + "*" + at.apply("w5") + " + " + d2 + "*" + at.apply("w7");
            f.put("g1", t.defect == Defect.MISSING_BRACKETS ? "=" + branch1 + "*" + s1 + "*" + at.apply("i1")
                    : "=(" + branch1 + ")*" + s1 + "*" + at.apply("i1"));
            f.put("g2", "=(" + branch1 + ")*" + s1 + "*" + at.apply("i2"));
            f.put("g3", "=(" + d1 + "*" + at.apply("w6") + " + " + d2 + "*" + at.apply("w8") + ")*" + s2 + "*" + at.apply("i1"));
            f.put("g4", "=(" + d1 + "*" + at.apply("w6") + " + " + d2 + "*" + at.apply("w8") + ")*" + s2 + "*" + at.apply("i2"));
            String d1times = "(" + at.apply("a_o1") + "*" + at.apply("t1") + ")*" + at.apply("a_o1") + "*(1-" + at.apply("a_o1") + ")";
            f.put("g5", "=" + (t.defect == Defect.A_O_TIMES_T ? d1times : d1) + "*" + at.apply("a_h1"));
            f.put("g6", "=" + d1 + "*" + at.apply("a_h2"));
            f.put("g7", "=" + d2 + "*" + at.apply("a_h1"));
            f.put("g8", "=" + d2 + "*" + at.apply("a_h2"));
            for (Map.Entry<String, String> e : f.entrySet()) {
                cell(sheet, r, col.get(e.getKey())).setCellFormula(e.getValue().substring(1));
            }
        }
        t.firstDataRow = first;
        t.aH1Column = col.get("a_h1");
    }

    private static XSSFCell cell(XSSFSheet sheet, int r, int c) {
        XSSFRow row = sheet.getRow(r) == null ? sheet.createRow(r) : sheet.getRow(r);
        return row.getCell(c) == null ? row.createCell(c) : row.getCell(c);
    }
}
