package org.backprop.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README is a test: every {@code $ backprop ...} example in it runs, in order, in one fresh folder, with
 * {@code backprop} on the PATH as the README says to put it there, and prints what the README shows (every number
 * exactly; times, hashes, ids, ports and tokens masked; {@code ...} for lines left out). A README edit that no longer
 * matches the program fails the build, and so does a program change the README was not told about. With the
 * environment variable {@code README_EXAMPLES=overwrite} the README is rewritten with what the examples printed.
 */
@Tag("slow")
class ReadmeTest {
    private static final int EXAMPLE_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void everyExampleInTheReadmePrintsWhatItShows() throws Exception {
        ReadmeExamples readme = ReadmeExamples.parse(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
        assertTrue(readme.examples().size() > 20, "the README has its examples: " + readme.examples().size());
        Path bin = shim();
        List<String> failures = new ArrayList<>();
        Map<ReadmeExamples.Example, List<String>> printed = new LinkedHashMap<>();
        for (ReadmeExamples.Example example : readme.examples()) {
            List<String> actual = run(bin, example.command());
            if (!ReadmeExamples.matches(example.expected(), actual)) {
                printed.put(example, actual);
                failures.add("README.md line " + example.line() + " (" + example.section() + "): $ " + example.command()
                        + "\n  shows:\n    " + String.join("\n    ", example.expected())
                        + "\n  prints:\n    " + String.join("\n    ", actual));
            }
        }
        if (!failures.isEmpty() && "overwrite".equals(System.getenv("README_EXAMPLES"))) {
            overwrite(printed);
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + readme.examples().size() + " README examples print something else:\n\n" + String.join("\n\n", failures));
        }
    }

    /**
     * Writes what the examples that differ printed into the README in place of what it showed (as trycmd's
     * {@code TRYCMD=overwrite}), for a person to read in the diff and then elide with {@code ...} where it is long.
     */
    private static void overwrite(Map<ReadmeExamples.Example, List<String>> printed) throws IOException {
        Path path = Path.of("README.md");
        List<String> lines = new ArrayList<>(Files.readString(path, StandardCharsets.UTF_8).lines().toList());
        List<Map.Entry<ReadmeExamples.Example, List<String>>> lastFirst = new ArrayList<>(printed.entrySet());
        java.util.Collections.reverse(lastFirst);
        for (Map.Entry<ReadmeExamples.Example, List<String>> entry : lastFirst) {
            int from = entry.getKey().line();
            List<String> shown = lines.subList(from, from + entry.getKey().expected().size());
            shown.clear();
            shown.addAll(entry.getValue());
        }
        Files.writeString(path, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * A folder with {@code backprop} in it, as the README's installation puts it on the PATH, running this build's
     * classes (the launcher would build the jar again under the running build); and the project's example files.
     */
    private Path shim() throws IOException {
        Path bin = Files.createDirectories(dir.resolve(".bin"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String script = "#!/usr/bin/env bash\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' org.backprop.cli.Main \"$@\"\n";
        Path backprop = bin.resolve("backprop");
        Files.writeString(backprop, script);
        Files.setPosixFilePermissions(backprop, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path scripts = Files.createDirectories(dir.resolve("work").resolve("scripts"));
        Files.createSymbolicLink(scripts.resolve("backprop"), backprop);
        Path examples = Files.createDirectories(scripts.resolve("examples"));
        for (String name : List.of("seed.json", "xor.json")) {
            Files.copy(Path.of("scripts", "examples", name), examples.resolve(name));
        }
        return bin;
    }

    private List<String> run(Path bin, String command) throws IOException, InterruptedException {
        Path output = dir.resolve("output.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(dir.resolve("work").toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("BACKPROP_STATE", dir.resolve("state").toString());
        pb.environment().remove("BACKPROP_DB");
        Process p = pb.start();
        // Output goes to a file, not a pipe: a command that never ends (a server) must not hold the test on a read.
        if (!p.waitFor(EXAMPLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            return List.of("(did not end within " + EXAMPLE_TIMEOUT_SECONDS + " s: mark its block <!-- not run: WHY -->)");
        }
        String text = Files.readString(output, StandardCharsets.UTF_8).replace(dir.resolve("work") + "/", "");
        List<String> lines = new ArrayList<>(text.lines().toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
