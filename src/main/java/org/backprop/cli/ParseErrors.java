package org.backprop.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a mistake on the command line gets said in our words rather than picocli's: the command or option that was not
 * understood with the nearest one there is, the value and what it should have been, the argument that is missing.
 */
final class ParseErrors {
    private ParseErrors() {
    }

    /** Options people bring from other tools, and the option they mean here. */
    private static final Map<String, String> HABITS = Map.ofEntries(
            Map.entry("--learning-rate", "--lr"), Map.entry("--learningrate", "--lr"), Map.entry("--learning_rate", "--lr"),
            Map.entry("--rate", "--lr"), Map.entry("--eta", "--lr"), Map.entry("--alpha", "--lr"),
            Map.entry("--iterations", "--epochs"), Map.entry("--iters", "--epochs"), Map.entry("--steps", "--epochs"),
            Map.entry("--epoch", "--epochs"), Map.entry("-n", "--epochs"),
            Map.entry("--database", "--db"), Map.entry("--store", "--db"),
            Map.entry("--output", "--out"), Map.entry("-o", "--out"),
            Map.entry("--quiet", "-q"), Map.entry("--silent", "-q"), Map.entry("--verbose", "--debug"));

    private static final Pattern GROUP = Pattern.compile("\\(([^()]*)\\)\\s*$");

    /** One sentence for the mistake, naming what was not understood and what would be. */
    static String sentence(CommandLine.ParameterException e) {
        CommandLine line = e.getCommandLine();
        String command = commandName(line);
        String help = "'" + command + " --help'";
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return unmatchedArgument(line, command, help, unmatched.getUnmatched().get(0));
        }
        if (e instanceof CommandLine.MutuallyExclusiveArgsException) {
            return "give only one of " + alternatives(e.getMessage(), "and") + " (" + help + " says what each does)";
        }
        if (e instanceof CommandLine.MissingParameterException missing) {
            return missingParameter(command, help, missing);
        }
        ArgSpec arg = e.getArgSpec();
        Matcher choices = Pattern.compile("expected one of \\[(.*)] \\(case-sensitive\\) but was '(.*)'").matcher(e.getMessage());
        if (arg != null && choices.find()) {
            return name(arg) + " takes one of " + choices.group(1) + "; not '" + choices.group(2) + "'";
        }
        if (arg != null && e.getValue() != null && e.getCause() instanceof CommandLine.TypeConversionException) {
            return name(arg) + " takes " + expected(arg.type()) + "; '" + e.getValue() + "' is not one";
        }
        return e.getMessage();
    }

    private static String unmatchedArgument(CommandLine line, String command, String help, String given) {
        if (given.startsWith("-")) {
            String option = given.contains("=") ? given.substring(0, given.indexOf('=')) : given;
            List<String> names = line.getCommandSpec().options().stream().flatMap(o -> List.of(o.names()).stream()).toList();
            Optional<String> meant = Optional.ofNullable(HABITS.get(option)).filter(names::contains)
                    .or(() -> nearest(option, names));
            return command + " has no option " + option + meant.map(m -> "; did you mean " + m + "?").orElse("")
                    + " (" + help + " lists its options)";
        }
        if (line.getCommandSpec().subcommands().isEmpty()) {
            return command + " does not take '" + given + "': it is one argument too many (" + help + " shows what it takes)";
        }
        List<String> commands = line.getSubcommands().entrySet().stream()
                .filter(c -> !c.getValue().getCommandSpec().usageMessage().hidden()).map(Map.Entry::getKey).toList();
        return "unknown command '" + given + "'" + nearest(given, commands).map(m -> "; did you mean '" + m + "'?").orElse("")
                + " (" + help + " lists the commands)";
    }

    private static String missingParameter(String command, String help, CommandLine.MissingParameterException missing) {
        String message = missing.getMessage();
        if (message.contains("specify one of these")) {
            return command + " needs one of " + alternatives(message, "or") + " (" + help + " says what each does)";
        }
        List<ArgSpec> specs = missing.getMissing();
        if (specs != null && !specs.isEmpty()) {
            ArgSpec arg = specs.get(0);
            if (arg instanceof OptionSpec option && message.startsWith("Missing required parameter for option")) {
                return option.longestName() + " needs a value: give it as " + option.longestName() + " " + arg.paramLabel();
            }
            return command + " needs " + name(arg) + ": give it as in '" + command + " " + name(arg) + "' (" + help + " has examples)";
        }
        return message;
    }

    /** The alternatives a picocli message lists in parentheses ({@code (--epoch=N | --final)}), joined by the word. */
    private static String alternatives(String message, String word) {
        Matcher m = GROUP.matcher(message.replace(" (specify only one)", "").replace(" are mutually exclusive", ""));
        String inside = m.find() ? m.group(1) : message.replaceFirst("^Error: ", "");
        List<String> parts = List.of(inside.split("\\s*[|,]\\s*"));
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " " + word + " " + parts.get(parts.size() - 1);
    }

    private static String commandName(CommandLine line) {
        StringBuilder name = new StringBuilder();
        for (CommandLine c = line; c != null; c = c.getParent()) {
            name.insert(0, c.getParent() == null ? "backprop" : " " + c.getCommandName());
        }
        return name.toString();
    }

    private static String name(ArgSpec arg) {
        return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
    }

    private static String expected(Class<?> type) {
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number, such as 0.5";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number, such as 100";
        }
        return "a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** The name closest to what was typed, when it is close enough to be what was meant. */
    static Optional<String> nearest(String typed, List<String> names) {
        String bare = typed.replaceFirst("^-+", "").toLowerCase(java.util.Locale.ROOT);
        return names.stream()
                .map(n -> Map.entry(n, distance(bare, n.replaceFirst("^-+", "").toLowerCase(java.util.Locale.ROOT))))
                .filter(e -> e.getValue() <= Math.max(1, Math.min(2, bare.length() / 3)) || e.getKey().replaceFirst("^-+", "").startsWith(bare) && bare.length() >= 2)
                .min(Comparator.comparingInt(Map.Entry<String, Integer>::getValue).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }

    /** Damerau-Levenshtein distance (with adjacent swaps, the commonest typo: 'trian'). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
