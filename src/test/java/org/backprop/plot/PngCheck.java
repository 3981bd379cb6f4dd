package org.backprop.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Checks that a file is a real chart: a PNG of the expected size with lines drawn on it. */
public final class PngCheck {
    /** The first line's colour (matplotlib's tab10 blue). */
    private static final int FIRST_LINE = 0x1f77b4;

    private PngCheck() {
    }

    /** Reads the file back as a PNG and checks its size and that lines were drawn on it. */
    public static BufferedImage assertPngWithLines(Path file, int width, int height) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG signature");
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        int firstLine = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb == FIRST_LINE) {
                    firstLine++;
                }
            }
        }
        assertTrue(colours.size() > 10, "a chart, not a blank image: " + colours.size() + " colours");
        assertTrue(firstLine > width / 4, "the first line is drawn: " + firstLine + " pixels of its colour");
        return image;
    }
}
