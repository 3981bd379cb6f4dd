package org.backprop.sheets;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spellings a hand-made table's header uses for its columns ({@code w1}/{@code W1}; {@code a_h1}, {@code out_h1},
 * {@code a_O1}; {@code E_tot}, {@code E_total}, {@code E_t}; {@code ∂E/∂w1}, {@code δE_tot/δw1}, {@code ∂E∂W1},
 * {@code E∂w1}, {@code ∂E_t/∂W1}), and the labels a learning rate is given under.
 */
public final class HeaderNames {
    private static final Pattern PLAIN = Pattern.compile("([ti])([12])|w([1-8])|(?:net_?)?([ho])([12])");
    private static final Pattern ACTIVATION = Pattern.compile("(?:a_?|out_?)([ho])([12])");
    private static final Pattern ERROR = Pattern.compile("e_?([12])|e_?(tot|total|t)");
    private static final Pattern GRADIENT = Pattern.compile("[∂d]?e(?:_?(?:tot|total|t))?/?[∂d]w([1-8])");
    private static final Pattern RATE_IN_NAME = Pattern.compile("l\\.?\\s*r\\.?\\s*[=_:]?\\s*([0-9]*\\.?[0-9]+)");

    private HeaderNames() {
    }

    /** The quantity a header cell names, or null when its text names none. */
    public static Quantity quantity(String text) {
        String s = normalise(text);
        if (s.isEmpty() || s.length() > 24) {
            return null;
        }
        Matcher m = PLAIN.matcher(s);
        if (m.matches()) {
            if (m.group(1) != null) {
                return Quantity.valueOf(m.group(1).toUpperCase(Locale.ROOT) + m.group(2));
            }
            if (m.group(3) != null) {
                return Quantity.weight(Integer.parseInt(m.group(3)) - 1);
            }
            return Quantity.valueOf(m.group(4).toUpperCase(Locale.ROOT) + m.group(5));
        }
        m = ACTIVATION.matcher(s);
        if (m.matches()) {
            return Quantity.valueOf("A_" + m.group(1).toUpperCase(Locale.ROOT) + m.group(2));
        }
        m = ERROR.matcher(s);
        if (m.matches()) {
            return m.group(1) != null ? Quantity.valueOf("E" + m.group(1)) : Quantity.E_TOT;
        }
        m = GRADIENT.matcher(s);
        if (m.matches()) {
            return Quantity.gradient(Integer.parseInt(m.group(1)) - 1);
        }
        return null;
    }

    /**
     * Whether a cell's text labels a learning rate: {@code η =}, {@code eta}, {@code learning rate: η =},
     * {@code Learning Rate}, {@code L.R}, {@code LR}, {@code n =}, and {@code h} or {@code ͷ} (η typed in the Symbol font).
     */
    public static boolean isRateLabel(String text) {
        String s = normalise(text);
        while (!s.isEmpty() && (s.endsWith("=") || s.endsWith(":"))) {
            s = s.substring(0, s.length() - 1);
        }
        for (String prefix : new String[] {"learningrate", "learning_rate"}) {
            if (s.startsWith(prefix)) {
                s = s.substring(prefix.length());
                while (s.startsWith(":") || s.startsWith("=")) {
                    s = s.substring(1);
                }
                if (s.isEmpty()) {
                    return true;
                }
            }
        }
        if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        }
        return switch (s) {
            case "η", "eta", "n", "h", "ͷ", "lr", "l.r", "l.r." -> true;
            default -> false;
        };
    }

    /** The learning rate a sheet's name gives ({@code LR 0.1}, {@code LR = 0.1}, {@code LR=2.0}, {@code LR_0.1}, {@code L.R. 0.1}), or NaN. */
    public static double rateInSheetName(String name) {
        Matcher m = RATE_IN_NAME.matcher(name.strip().toLowerCase(Locale.ROOT));
        return m.matches() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /**
     * Text from a file as it may reach a terminal: control and formatting characters (an escape sequence, a
     * right-to-left override) shown as \\uXXXX instead of acted on.
     */
    public static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || Character.getType(cp) == Character.FORMAT && cp != 0x200D) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    /** Lower case, without blanks, δ and 𝛿 read as ∂. */
    static String normalise(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isWhitespace(cp) || cp == 0xA0) {
                return;
            }
            if (cp == 'δ' || cp == 'Δ' || cp == 0x1D6FF || cp == 0x1D6C5) {
                b.append('∂');
            } else {
                b.appendCodePoint(Character.toLowerCase(cp));
            }
        });
        return b.toString();
    }
}
