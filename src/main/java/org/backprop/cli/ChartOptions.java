package org.backprop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.backprop.plot.Chart;
import org.backprop.plot.ChartWriter;
import picocli.CommandLine.Option;

/** The size options of the commands that write a chart, and the checks on the file it goes to. */
final class ChartOptions {
    static final int MIN_SIZE = 200;
    static final int MAX_SIZE = 10_000;

    @Option(names = "--width", paramLabel = "PIXELS", description = "Width of the PNG in pixels (default 1000).")
    int width = 1000;

    @Option(names = "--height", paramLabel = "PIXELS", description = "Height of the PNG in pixels (default 600).")
    int height = 600;

    /** Refuses a size or a file the chart could not be written to, before anything else is done. */
    void check(Path out, String option) {
        if (width < MIN_SIZE || width > MAX_SIZE || height < MIN_SIZE || height > MAX_SIZE) {
            throw new BadInputException("the chart size " + width + "x" + height + " is out of range: give --width and --height from "
                    + MIN_SIZE + " to " + MAX_SIZE + " pixels");
        }
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new BadInputException(option + " " + out + " must name a .png file, such as " + option + " errors.png");
        }
        Path folder = out.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new BadInputException("the folder of " + option + " " + out + " does not exist: create it or give another path");
        }
        if (Files.isDirectory(out)) {
            throw new BadInputException(option + " " + out + " is a folder: give a file name ending in .png");
        }
    }

    static void write(Chart chart, Path out) {
        try {
            ChartWriter.writePng(chart, out);
        } catch (IOException e) {
            throw new BadInputException("the chart could not be written to " + out + ": " + e.getMessage(), e);
        }
    }
}
