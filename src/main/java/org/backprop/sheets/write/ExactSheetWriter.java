package org.backprop.sheets.write;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xddf.usermodel.chart.AxisCrosses;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.MarkerStyle;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xddf.usermodel.chart.XDDFLineChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunStarted;
import org.backprop.model.Backprop;
import org.backprop.model.EpochValues;
import org.backprop.model.Loss;
import org.backprop.model.Network;
import org.backprop.model.RunConfig;
import org.backprop.sheets.Quantity;

/**
 * Writes a 2-2-2 single-sample run as the tutorial's sheet: the learning rate in a labelled cell every update refers
 * to absolutely, the inputs and initial weights typed in, and every other cell a formula (so Excel or LibreOffice
 * recompute it) whose cached value is the run's recorded double. The formulas group their operations as the engine
 * does, so a spreadsheet recomputing them lands within an ulp or two, and the audit of the file says exact.
 */
public final class ExactSheetWriter {
    /** Where the rate and the table sit: the label in F3, the rate in G3, the header in row 5, data from row 6. */
    private static final int RATE_ROW = 2;
    private static final int HEADER_ROW = 4;
    private static final String RATE = "$G$3";
    private static final String[] HEADERS = {"t1", "t2", "i1", "i2", "w1", "w2", "w3", "w4", "h1", "a_h1", "h2", "a_h2",
        "w5", "w6", "w7", "w8", "o1", "a_o1", "o2", "a_o2", "E1", "E2", "E_tot",
        "∂E/∂w1", "∂E/∂w2", "∂E/∂w3", "∂E/∂w4", "∂E/∂w5", "∂E/∂w6", "∂E/∂w7", "∂E/∂w8"};

    private ExactSheetWriter() {
    }

    /** An .xlsx sheet has 1,048,576 rows; the table starts below its header. */
    public static final int MAX_EPOCHS = 1_048_576 - HEADER_ROW - 1;

    /** Whether a run has the sheet's shape: 2-2-2, one sample, no biases. */
    public static boolean fits(RunConfig config) {
        return config.network().isSeedShaped(config.data().sampleCount());
    }

    /**
     * Trains {@code config} in memory (no store) and writes its sheet, each epoch passed through {@code edit} first
     * (the identity for the exact sheet): for benchmarks and the launcher's warm-up, which need sheets but no runs.
     */
    public static void write(RunConfig config, UnaryOperator<EpochRecorded> edit, OutputStream out) throws IOException {
        RunStarted started = new RunStarted(1, config, null, null, Instant.EPOCH);
        double[] w = config.initial().weights();
        double[] b = config.initial().biases();
        EpochValues values = new EpochValues(config.network(), config.data().sampleCount());
        List<EpochRecorded> epochs = new ArrayList<>(config.epochs());
        for (int e = 0; e < config.epochs(); e++) {
            Backprop.compute(config.network(), config.data(), w, b, values);
            epochs.add(edit.apply(EpochRecorded.of(1, e, w, b, values)));
            Backprop.descend(w, b, values, config.learningRate(), config.network().trainBiases());
        }
        write(started, epochs.size(), epochs::forEach, out);
    }

    /** The same epoch with gradient {@code k} replaced: a sheet with one wrong cell. */
    public static EpochRecorded withGradient(EpochRecorded e, int k, double gradient) {
        double[] g = e.weightGradients();
        g[k] = gradient;
        return new EpochRecorded(e.runId(), e.epoch(), e.before(), e.netInputs(), e.activations(), e.deltas(), g, e.biasGradients(), e.loss());
    }

    /**
     * Writes the run's epochs, handed over in order by {@code epochs} (which calls its argument once per epoch), as an
     * .xlsx to {@code out}.
     */
    public static void write(RunStarted started, int epochCount, Consumer<Consumer<EpochRecorded>> epochs, OutputStream out) throws IOException {
        RunConfig c = started.config();
        if (!fits(c)) {
            throw new IllegalArgumentException("run " + started.runId() + " is " + c.network().shape() + " with " + c.data().sampleCount()
                    + " samples: the tutorial's sheet has a 2-2-2 network without biases and one sample");
        }
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            wb.getProperties().getExtendedProperties().setApplication("backprop (Apache POI)");
            XSSFSheet sheet = wb.createSheet(sheetName(c.learningRate()));
            CellStyle bold = wb.createCellStyle();
            Font font = wb.createFont();
            font.setBold(true);
            bold.setFont(font);
            sheet.createRow(0).createCell(0).setCellValue("backprop run " + started.runId() + " '" + c.name() + "': the exact values, "
                    + epochCount + " epochs (every computed cell is a formula; its stored value is the run's double)");
            XSSFRow rateRow = sheet.createRow(RATE_ROW);
            rateRow.createCell(5).setCellValue("η =");
            rateRow.createCell(6).setCellValue(c.learningRate());
            XSSFRow header = sheet.createRow(HEADER_ROW);
            for (int i = 0; i < HEADERS.length; i++) {
                XSSFCell h = header.createCell(i);
                h.setCellValue(HEADERS[i]);
                h.setCellStyle(bold);
            }
            int[] row = {HEADER_ROW + 1};
            epochs.accept(e -> writeRow(sheet, c, e, row[0]++));
            if (epochCount > 1) {
                lossChart(sheet, HEADER_ROW + 1, row[0] - 1);
            }
            wb.setForceFormulaRecalculation(false);
            wb.write(out);
        }
    }

    /** E_total per epoch, beside the table: it reads the E_tot column, so it follows a recalculation. */
    private static void lossChart(XSSFSheet sheet, int firstRow, int lastRow) {
        XSSFDrawing drawing = sheet.createDrawingPatriarch();
        int left = HEADERS.length + 1;
        XSSFChart chart = drawing.createChart(drawing.createAnchor(0, 0, 0, 0, left, HEADER_ROW, left + 10, HEADER_ROW + 22));
        chart.setTitleText("E_tot per epoch");
        chart.setTitleOverlay(false);
        XDDFCategoryAxis epochs = chart.createCategoryAxis(AxisPosition.BOTTOM);
        epochs.setTitle("epoch");
        XDDFValueAxis loss = chart.createValueAxis(AxisPosition.LEFT);
        loss.setTitle("E_tot");
        loss.setCrosses(AxisCrosses.AUTO_ZERO);
        Integer[] numbers = new Integer[lastRow - firstRow + 1];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = i;
        }
        XDDFLineChartData data = (XDDFLineChartData) chart.createData(ChartTypes.LINE, epochs, loss);
        XDDFLineChartData.Series series = (XDDFLineChartData.Series) data.addSeries(XDDFDataSourcesFactory.fromArray(numbers),
                XDDFDataSourcesFactory.fromNumericCellRange(sheet, new CellRangeAddress(firstRow, lastRow, column(Quantity.E_TOT), column(Quantity.E_TOT))));
        series.setTitle("E_tot", null);
        series.setSmooth(false);
        series.setMarkerStyle(MarkerStyle.NONE);
        chart.plot(data);
    }

    private static String sheetName(double rate) {
        return ("LR = " + rate).replace(':', '_');
    }

    private static void writeRow(XSSFSheet sheet, RunConfig c, EpochRecorded e, int r) {
        XSSFRow row = sheet.createRow(r);
        Network n = c.network();
        boolean first = r == HEADER_ROW + 1;
        // r counts from 0, Excel from 1: this row is r + 1 to Excel, the row before it r.
        String at = Integer.toString(r + 1);
        String prev = Integer.toString(r);
        double t1 = c.data().target(0, 0);
        double t2 = c.data().target(0, 1);
        double a1 = e.activation(n, 0, 2);
        double a2 = e.activation(n, 0, 3);
        constantOrFormula(row, Quantity.T1, first, "A" + prev, t1);
        constantOrFormula(row, Quantity.T2, first, "B" + prev, t2);
        constantOrFormula(row, Quantity.I1, first, "C" + prev, c.data().input(0, 0));
        constantOrFormula(row, Quantity.I2, first, "D" + prev, c.data().input(0, 1));
        for (int k = 0; k < 8; k++) {
            Quantity w = Quantity.weight(k);
            String g = col(Quantity.gradient(k));
            if (first) {
                row.createCell(column(w)).setCellValue(e.before().weight(k));
            } else {
                formula(row, w, col(w) + prev + "-" + RATE + "*" + g + prev, e.before().weight(k));
            }
        }
        formula(row, Quantity.H1, "E" + at + "*C" + at + "+F" + at + "*D" + at, e.netInput(n, 0, 0));
        formula(row, Quantity.A_H1, "1/(1+EXP(-I" + at + "))", e.activation(n, 0, 0));
        formula(row, Quantity.H2, "G" + at + "*C" + at + "+H" + at + "*D" + at, e.netInput(n, 0, 1));
        formula(row, Quantity.A_H2, "1/(1+EXP(-K" + at + "))", e.activation(n, 0, 1));
        formula(row, Quantity.O1, "M" + at + "*J" + at + "+N" + at + "*L" + at, e.netInput(n, 0, 2));
        formula(row, Quantity.A_O1, "1/(1+EXP(-Q" + at + "))", a1);
        formula(row, Quantity.O2, "O" + at + "*J" + at + "+P" + at + "*L" + at, e.netInput(n, 0, 3));
        formula(row, Quantity.A_O2, "1/(1+EXP(-S" + at + "))", a2);
        formula(row, Quantity.E1, "0.5*(A" + at + "-R" + at + ")^2", Loss.outputError(t1, a1));
        formula(row, Quantity.E2, "0.5*(B" + at + "-T" + at + ")^2", Loss.outputError(t2, a2));
        formula(row, Quantity.E_TOT, "U" + at + "+V" + at, e.loss());
        // δ_o = (a_o − t)·(a_o·(1 − a_o)), grouped as the engine multiplies.
        String d1 = "((R" + at + "-A" + at + ")*(R" + at + "*(1-R" + at + ")))";
        String d2 = "((T" + at + "-B" + at + ")*(T" + at + "*(1-T" + at + ")))";
        String s1 = "(J" + at + "*(1-J" + at + "))";
        String s2 = "(L" + at + "*(1-L" + at + "))";
        formula(row, Quantity.DE_DW1, "(M" + at + "*" + d1 + "+O" + at + "*" + d2 + ")*" + s1 + "*C" + at, e.weightGradient(0));
        formula(row, Quantity.DE_DW2, "(M" + at + "*" + d1 + "+O" + at + "*" + d2 + ")*" + s1 + "*D" + at, e.weightGradient(1));
        formula(row, Quantity.DE_DW3, "(N" + at + "*" + d1 + "+P" + at + "*" + d2 + ")*" + s2 + "*C" + at, e.weightGradient(2));
        formula(row, Quantity.DE_DW4, "(N" + at + "*" + d1 + "+P" + at + "*" + d2 + ")*" + s2 + "*D" + at, e.weightGradient(3));
        formula(row, Quantity.DE_DW5, d1 + "*J" + at, e.weightGradient(4));
        formula(row, Quantity.DE_DW6, d1 + "*L" + at, e.weightGradient(5));
        formula(row, Quantity.DE_DW7, d2 + "*J" + at, e.weightGradient(6));
        formula(row, Quantity.DE_DW8, d2 + "*L" + at, e.weightGradient(7));
    }

    private static void constantOrFormula(XSSFRow row, Quantity q, boolean first, String above, double value) {
        if (first) {
            row.createCell(column(q)).setCellValue(value);
        } else {
            formula(row, q, above, value);
        }
    }

    /** A formula with its cached value: POI keeps the value we set after the formula. */
    private static void formula(XSSFRow row, Quantity q, String formula, double cached) {
        XSSFCell cell = row.createCell(column(q));
        cell.setCellFormula(formula);
        cell.setCellValue(cached);
    }

    private static int column(Quantity q) {
        return q.ordinal();
    }

    private static String col(Quantity q) {
        return CellReference.convertNumToColString(column(q));
    }
}
