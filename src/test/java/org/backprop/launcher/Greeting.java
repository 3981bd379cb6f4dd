package org.backprop.launcher;

/** The program of the launcher test's stand-in jar. */
public final class Greeting {
    private Greeting() {
    }

    public static void main(String[] args) throws java.io.IOException {
        String said = "hello " + String.join(" ", args);
        if (args.length > 0 && args[0].equals("train")) {
            // The niceness the launcher ran it at: field 19 of /proc/self/stat (after the command's name in parentheses).
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            said += " nice=" + stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16];
        }
        System.out.println(said);
    }
}
