package org.backprop.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Help that reads as prose on any terminal: a command's description is its sentences run together and wrapped to the
 * terminal's width (an empty line of the description starts a new paragraph), rather than the lines the source wraps
 * them into; the list of commands shows each one's first sentence, whole.
 */
final class HelpLayout {
    private HelpLayout() {
    }

    /** Lays out the help of {@code cl} and of every subcommand it has. */
    static void apply(CommandLine cl) {
        cl.setUsageHelpAutoWidth(true);
        Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, help -> description(help.commandSpec()));
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commandList);
        cl.setHelpSectionMap(sections);
        for (CommandLine sub : cl.getSubcommands().values()) {
            apply(sub);
        }
    }

    private static String description(CommandSpec spec) {
        int width = spec.usageMessage().width();
        StringBuilder out = new StringBuilder();
        for (String paragraph : paragraphs(spec.usageMessage().description())) {
            out.append(wrap(paragraph, width, "")).append('\n');
        }
        return out.toString();
    }

    /** The description's paragraphs: its lines joined, an empty line between two paragraphs. */
    static List<String> paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder p = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank()) {
                if (!p.isEmpty()) {
                    out.add(p.toString());
                    p.setLength(0);
                }
                continue;
            }
            p.append(p.isEmpty() ? "" : " ").append(line.strip());
        }
        if (!p.isEmpty()) {
            out.add(p.toString());
        }
        return out;
    }

    /** The first sentence of a command's description: up to the first full stop followed by a space, or all of it. */
    static String summary(String[] lines) {
        List<String> ps = paragraphs(lines);
        if (ps.isEmpty()) {
            return "";
        }
        String p = ps.get(0);
        int end = p.indexOf(". ");
        return end < 0 ? p : p.substring(0, end + 1);
    }

    private static String commandList(CommandLine.Help help) {
        Map<String, CommandLine.Help> commands = help.subcommands();
        if (commands.isEmpty()) {
            return "";
        }
        int nameWidth = commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        int width = help.commandSpec().usageMessage().width();
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, CommandLine.Help> c : commands.entrySet()) {
            if (c.getValue().commandSpec().usageMessage().hidden()) {
                continue;
            }
            String name = "  " + c.getKey() + " ".repeat(nameWidth - c.getKey().length());
            out.append(name).append(wrap(summary(c.getValue().commandSpec().usageMessage().description()), width - name.length(),
                    " ".repeat(name.length())).stripLeading()).append('\n');
        }
        return out.toString();
    }

    /** Words filled into lines of at most {@code width} characters, every line after the first indented. */
    static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        int line = 0;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line > 0 && line + 1 + word.length() > width) {
                out.append('\n').append(indent);
                line = 0;
            } else if (line > 0) {
                out.append(' ');
                line++;
            }
            out.append(word);
            line += word.length();
        }
        return out.toString();
    }
}
