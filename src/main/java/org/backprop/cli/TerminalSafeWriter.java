package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Everything a command prints passes through here: any control character that is not a line break, carriage return or
 * tab (which the output's own layout uses) is written as an escape, so no text that reaches the output, however it got
 * there, can drive the terminal. Line breaks inside values are escaped where the values are printed.
 */
final class TerminalSafeWriter extends Writer {
    private final Writer out;

    private TerminalSafeWriter(Writer out) {
        this.out = out;
    }

    /** A print writer over {@code out} that lets no terminal control through (flushing at every line, as {@code out} did). */
    static PrintWriter wrap(PrintWriter out) {
        return new PrintWriter(new TerminalSafeWriter(out), true);
    }

    private static boolean passes(char c) {
        return c == '\n' || c == '\r' || c == '\t' || !PrintableText.isUnsafe(c);
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        int from = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (!passes(buf[i])) {
                out.write(buf, from, i - from);
                out.write(PrintableText.escaped(String.valueOf(buf[i])));
                from = i + 1;
            }
        }
        out.write(buf, from, end - from);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        write(s.toCharArray(), off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
