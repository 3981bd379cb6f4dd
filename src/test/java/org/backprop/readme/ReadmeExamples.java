package org.backprop.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The examples of a README, as cram and trycmd read them: in every fenced block, a line {@code $ COMMAND} is a
 * command, and the lines after it, up to the next command or the block's end, are what it prints. A line {@code ...}
 * stands for any number of lines. A block right after the comment {@code <!-- not run: WHY -->} is shown, not run
 * (it needs a second terminal, say); every other block runs, in order, in one folder.
 */
record ReadmeExamples(List<Example> examples) {

    /** One command, the heading of the section it is in, its line in the README, and what it should print. */
    record Example(String section, int line, String command, List<String> expected) {
    }

    private static final Pattern NOT_RUN = Pattern.compile("<!--\\s*not run:.*-->");

    static ReadmeExamples parse(String readme) {
        List<Example> out = new ArrayList<>();
        String[] lines = readme.split("\n", -1);
        String section = "";
        boolean skipNext = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("#")) {
                section = line.replaceFirst("^#+\\s*", "");
            } else if (NOT_RUN.matcher(line.strip()).matches()) {
                skipNext = true;
            } else if (line.startsWith("```")) {
                int end = i + 1;
                while (end < lines.length && !lines[end].startsWith("```")) {
                    end++;
                }
                if (!skipNext) {
                    block(section, lines, i + 1, end, out);
                }
                skipNext = false;
                i = end;
            } else if (!line.isBlank()) {
                skipNext = false;
            }
        }
        return new ReadmeExamples(List.copyOf(out));
    }

    private static void block(String section, String[] lines, int from, int to, List<Example> out) {
        String command = null;
        int at = 0;
        List<String> expected = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (lines[i].startsWith("$ ")) {
                if (command != null) {
                    out.add(example(section, at, command, expected));
                }
                command = lines[i].substring(2);
                at = i + 1;
                expected.clear();
            } else if (command != null) {
                expected.add(lines[i]);
            }
        }
        if (command != null) {
            out.add(example(section, at, command, expected));
        }
    }

    /** An example whose output is shown up to its last line that is not blank (a blank line may set the next apart). */
    private static Example example(String section, int line, String command, List<String> shown) {
        int end = shown.size();
        while (end > 0 && shown.get(end - 1).isBlank()) {
            end--;
        }
        return new Example(section, line, command, List.copyOf(shown.subList(0, end)));
    }

    /**
     * Whether {@code actual} is what {@code expected} shows: line by line, trailing blanks aside, with times and the
     * folder's path masked, and {@code ...} standing for any number of lines (none included).
     */
    static boolean matches(List<String> expected, List<String> actual) {
        return matches(expected, 0, actual, 0);
    }

    private static boolean matches(List<String> expected, int e, List<String> actual, int a) {
        if (e == expected.size()) {
            return a == actual.size();
        }
        String want = expected.get(e);
        if (want.strip().equals("...")) {
            for (int skip = a; skip <= actual.size(); skip++) {
                if (matches(expected, e + 1, actual, skip)) {
                    return true;
                }
            }
            return false;
        }
        return a < actual.size() && sameLine(want, actual.get(a)) && matches(expected, e + 1, actual, a + 1);
    }

    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    private static final Pattern HEX = Pattern.compile("\\b[0-9a-f]{64}\\b");
    private static final Pattern UUID = Pattern.compile("\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b");
    private static final Pattern TOKEN = Pattern.compile("token=[A-Za-z0-9_-]+|sig=[A-Za-z0-9+/=]+|:[0-9]{4,5}/");

    static String masked(String line) {
        String s = TIME.matcher(line.stripTrailing()).replaceAll("<time>");
        s = UUID.matcher(s).replaceAll("<uuid>");
        s = HEX.matcher(s).replaceAll("<hash>");
        return TOKEN.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group().replaceAll("[=:].*", "=<masked>")));
    }

    private static boolean sameLine(String expected, String actual) {
        String e = masked(expected);
        String a = masked(actual);
        // A masked value is not as wide as the one it stands for, so the columns of its table may be padded otherwise.
        if (!e.equals(expected.stripTrailing()) || !a.equals(actual.stripTrailing())) {
            return e.replaceAll("\\s+", " ").equals(a.replaceAll("\\s+", " "));
        }
        return e.equals(a);
    }
}
