package org.backprop.table;

import java.util.Locale;

/**
 * Text that came from a person or a store (run names, reasons, configurations, what a query returned), printed so that
 * it can forge no output: control characters, the marks that reorder text on screen and the line and paragraph
 * separators are shown as escapes ({@code \n}, {@code \t}, {@code \u001B}), never written as they are. New run names
 * may not contain them at all.
 */
public final class PrintableText {
    private PrintableText() {
    }

    /**
     * True for what a terminal would act on rather than show: the C0 and C1 controls and DEL (Unicode's Cc), the
     * bidirectional embeddings, overrides, isolates and marks, and the line and paragraph separators (all of them in
     * the Basic Multilingual Plane, so a char is enough to tell).
     */
    public static boolean isUnsafe(int c) {
        if (c >= 0x20 && c < 0x7F) {
            return false;
        }
        return Character.getType(c) == Character.CONTROL
                || c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029;
    }

    /** The text with every unsafe character shown as an escape; the same string when it has none. */
    public static String escaped(String s) {
        if (s == null) {
            return null;
        }
        int first = 0;
        while (first < s.length() && !isUnsafe(s.charAt(first))) {
            first++;
        }
        if (first == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isUnsafe(c)) {
                b.append(c);
            } else {
                b.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format(Locale.ROOT, "\\u%04X", (int) c);
                });
            }
        }
        return b.toString();
    }

    /** Refuses a new name (or other text that will be printed) that holds an unsafe character, saying which and where. */
    public static void checkPrintable(String what, String s) {
        if (s == null) {
            return;
        }
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (isUnsafe(c)) {
                String name = Character.getName(c);
                throw new UnprintableTextException(what + " contains a control character, " + String.format(Locale.ROOT, "U+%04X", c)
                        + (name == null ? "" : " (" + name.toLowerCase(Locale.ROOT) + ")")
                        + ", at character " + (s.codePointCount(0, i) + 1)
                        + ": it would be printed in tables and on terminals, so use printable characters only");
            }
            i += Character.charCount(c);
        }
    }
}
