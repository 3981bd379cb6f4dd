package org.backprop.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packages above the store port know no store adapter: a second adapter changes nothing above {@code store}. */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/org/backprop");
    /** What belongs to one adapter or another: its packages, its database and its database access. */
    private static final List<String> ADAPTER_IMPORTS = List.of("import org.backprop.store.h2.", "import org.backprop.store.sql.",
            "import org.backprop.store.postgres.", "import org.h2.", "import org.jdbi.", "import java.sql.", "import org.postgresql.",
            "import org.flywaydb.");

    @Test
    void nothingAboveTheStorePortKnowsWhichStoreItTalksTo() {
        List<String> found = new ArrayList<>();
        for (String pkg : List.of("model", "events", "training", "replay", "diff", "sweep", "plot", "cli", "web", "sheets")) {
            for (Path file : sources(SOURCES.resolve(pkg))) {
                // Serving H2 files over TCP is what the server command is for; it talks to no store itself.
                if (file.endsWith(Path.of("cli", "ServerCommand.java"))) {
                    continue;
                }
                for (String line : lines(file)) {
                    if (ADAPTER_IMPORTS.stream().anyMatch(line::startsWith)) {
                        found.add(SOURCES.relativize(file) + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theMathKnowsNothingButTheJdk() {
        List<String> found = new ArrayList<>();
        for (Path file : sources(SOURCES.resolve("model"))) {
            for (String line : lines(file)) {
                if (line.startsWith("import ") && !line.startsWith("import java.") && !line.startsWith("import static java.")
                        && !line.startsWith("import org.backprop.model.")) {
                    found.add(SOURCES.relativize(file) + ": " + line);
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static List<Path> sources(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
