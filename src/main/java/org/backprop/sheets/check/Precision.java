package org.backprop.sheets.check;

import java.util.Locale;
import org.backprop.sheets.Quantity;
import org.backprop.sheets.find.TableGrid;

/**
 * How many significant digits a file stores its computed numbers with, and so how far each may be from the value its
 * formula computed: Excel writes 17 (every double exactly), LibreOffice 15, a Google Sheets export 10. It is read from
 * the cached values themselves (their longest), with the application docProps/app.xml names as the fallback for a
 * table with few formulas.
 *
 * @param digits significant digits of a formula's stored value
 * @param basis  in words, how that was found
 */
public record Precision(int digits, String basis) {
    /** Below this many formula cells the longest cached value says too little, and the application decides. */
    private static final int ENOUGH_FORMULAS = 8;

    /** The unit roundoff of a double: the least any stored value may be off by. */
    public static final double EPSILON = 0x1.0p-53;
    /**
     * The rounding allowed to each operation of a spreadsheet's own arithmetic: half a unit in the 15th significant
     * digit, the precision Excel documents for its calculations (Apache POI's evaluator, for one, rounds its results to
     * it: 1/(1+EXP(-x)) came out 13 ulps from Java's). Far below any mistake in a formula, far above a double's ulp.
     */
    public static final double ARITHMETIC = 0.5e-14;

    public static Precision of(TableGrid grid, String application) {
        int longest = 0;
        int formulas = 0;
        for (int r = 0; r < grid.rows(); r++) {
            for (Quantity q : Quantity.values()) {
                if (grid.isFormula(r, q)) {
                    formulas++;
                    longest = Math.max(longest, grid.digits(r, q));
                }
            }
        }
        int byApplication = digitsOf(application);
        String app = application.isEmpty() ? "no application named in docProps/app.xml" : application;
        if (formulas >= ENOUGH_FORMULAS) {
            return new Precision(Math.min(longest, 17), "its cached values carry up to " + longest + " significant digits (" + app + ")");
        }
        return new Precision(byApplication, app + " stores " + byApplication + " significant digits");
    }

    /** What an application is known to store: Excel and POI every double (17 digits), LibreOffice 15, others 10. */
    static int digitsOf(String application) {
        String a = application.toLowerCase(Locale.ROOT);
        if (a.contains("excel") || a.contains("poi")) {
            return 17;
        }
        if (a.contains("libreoffice") || a.contains("openoffice")) {
            return 15;
        }
        return 10;
    }

    /** Relative rounding of a value stored with {@code digits} significant digits: half a unit in the last one. */
    public static double relative(int digits) {
        return Math.max(0.5 * Math.pow(10, 1 - digits), EPSILON);
    }

    /** Relative rounding of a formula's stored value in this file. */
    public double relative() {
        return relative(digits);
    }
}
