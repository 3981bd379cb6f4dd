package org.backprop.replay;

/**
 * The keys of an interactive replay, one line at a time: an empty line shows the next epoch, {@code b} the previous,
 * a number jumps to that epoch, {@code q} quits. It only decides; whoever reads the lines does the showing.
 */
public final class Stepper {
    private final int first;
    private final int last;
    private int current;

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
    public sealed interface Move permits Show, Say, Quit {
    }

    /** Show this epoch: it is now the current one. */
    public record Show(int epoch) implements Move {
    }

    /** Stay where we are and tell the user this. */
    public record Say(String message) implements Move {
    }

    public record Quit() implements Move {
    }

    /** The prompt to show after an epoch. */
    public String prompt() {
        return "epoch " + current + " of " + first + ".." + last + " - Enter: next, b: back, a number: jump, q: quit > ";
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
