package org.backprop.replay;

/**
 * The keys of an interactive replay. On a terminal one key at a time ({@link #press}): Enter, space, n or the right
 * arrow show the next epoch, b or the left arrow the previous, digits then Enter jump, q quits. Elsewhere one line at a
 * time ({@link #apply}): an empty line is the next epoch, {@code b} the previous, a number jumps, {@code q} quits. It
 * only decides; whoever reads the keys does the showing.
 */
public final class Stepper {
    private final int first;
    private final int last;
    private int current;
    private final StringBuilder typed = new StringBuilder();

    /** Starts at {@code first}; the epochs {@code first..last} can be shown. */
    public Stepper(int first, int last) {
        if (first > last) {
            throw new IllegalArgumentException("empty range " + first + " to " + last);
        }
        this.first = first;
        this.last = last;
        this.current = first;
    }

    public int current() {
        return current;
    }

    /** What one line typed by the user asks for. */
    public sealed interface Move permits Show, Say, Quit, Typed {
    }

    /** Show this epoch: it is now the current one. */
    public record Show(int epoch) implements Move {
    }

    /** Stay where we are and tell the user this. */
    public record Say(String message) implements Move {
    }

    public record Quit() implements Move {
    }

    /** A key was taken (a digit of an epoch to jump to): show the prompt again. */
    public record Typed() implements Move {
    }

    /** The key names {@link #press} takes besides characters. */
    public static final char NEXT = '\u2192';
    public static final char BACK = '\u2190';

    /** The prompt to show after an epoch, with the digits typed so far. */
    public String prompt() {
        return "epoch " + current + " of " + first + ".." + last + " - Enter: next, b: back, a number: jump, q: quit > " + typed;
    }

    /** Applies one key pressed on a terminal: a character, or {@link #NEXT} or {@link #BACK} for the arrow keys. */
    public Move press(char key) {
        if (key >= '0' && key <= '9') {
            if (typed.length() < 10) {
                typed.append(key);
            }
            return new Typed();
        }
        if (key == '\b' || key == 127) {
            if (!typed.isEmpty()) {
                typed.setLength(typed.length() - 1);
            }
            return new Typed();
        }
        if ((key == '\n' || key == '\r') && !typed.isEmpty()) {
            String number = typed.toString();
            typed.setLength(0);
            return apply(number);
        }
        typed.setLength(0);
        return switch (key) {
            case '\n', '\r', ' ', 'n', 'N', NEXT -> apply("");
            case 'b', 'B', 'p', 'P', BACK -> apply("b");
            case 'q', 'Q', 4 -> new Quit();
            default -> new Say("that key does nothing here: Enter or n shows the next epoch, b the previous, digits then Enter jump, q quits");
        };
    }

    /** Applies one line; a null line (end of input) quits. */
    public Move apply(String line) {
        if (line == null) {
            return new Quit();
        }
        String key = line.strip();
        if (key.isEmpty()) {
            return current == last ? new Say("epoch " + last + " is the last one here: b goes back, a number jumps, q quits") : show(current + 1);
        }
        if (key.equalsIgnoreCase("q")) {
            return new Quit();
        }
        if (key.equalsIgnoreCase("b")) {
            return current == first ? new Say("epoch " + first + " is the first one here: Enter goes on, a number jumps, q quits") : show(current - 1);
        }
        if (key.matches("[0-9]{1,10}")) {
            long epoch = Long.parseLong(key);
            if (epoch < first || epoch > last) {
                return new Say("there is no epoch " + key + " here: give a number from " + first + " to " + last);
            }
            return show((int) epoch);
        }
        return new Say("'" + key + "' is not a key here: Enter shows the next epoch, b the previous, a number jumps to it, q quits");
    }

    private Show show(int epoch) {
        current = epoch;
        return new Show(epoch);
    }
}
