package org.backprop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code scripts/backprop}, run in a copy of the project whose "build" is a stand-in {@code mvn} that
 * counts its builds and writes a jar of {@link Greeting}: the launcher's own logic, without a real build under the
 * running one.
 */
@Tag("slow")
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void aSymlinkOnThePathFindsTheProjectAndTwoFirstCommandsAtOnceBuildOnce() throws Exception {
        Path project = project();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // A relative link in one folder to a relative link in another, as `ln -s` makes them.
        Files.createSymbolicLink(dir.resolve("link-to-launcher"), dir.relativize(project.resolve("scripts/backprop")));
        Files.createSymbolicLink(bin.resolve("backprop"), Path.of("../link-to-launcher"));

        Process first = start(bin, "one");
        Process second = start(bin, "two");
        assertEquals("hello one", output(first));
        assertEquals("hello two", output(second));
        assertEquals(List.of("built"), Files.readAllLines(project.resolve("builds.txt")));

        assertEquals("hello three", output(start(bin, "three")));
        assertEquals(1, Files.readAllLines(project.resolve("builds.txt")).size(), "a fresh jar is not built again");
        assertEquals("hello train -q nice=19", output(start(bin, "train", "-q")), "training runs at the lowest priority");
        assertEquals("hello --db x runs", output(start(bin, "--db", "x", "runs")));
    }

    private Path project() throws Exception {
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve("scripts/lib"));
        Files.copy(Path.of("scripts/backprop"), project.resolve("scripts/backprop"));
        Files.copy(Path.of("scripts/lib/jdk.sh"), project.resolve("scripts/lib/jdk.sh"));
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("pom.xml"), "<project/>\n");
        Path jar = dir.resolve("greeting.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Greeting.class.getName());
        Path classes = Path.of(Greeting.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // The manifest is the whole jar: its class path names the compiled Greeting.
        }
        Path fakeBin = Files.createDirectories(dir.resolve("fake-maven"));
        Path mvn = fakeBin.resolve("mvn");
        Files.writeString(mvn, "#!/usr/bin/env bash\nsleep 2\necho built >> builds.txt\nmkdir -p target\ncp '" + jar
                + "' target/backprop.jar\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwx------"));
        return project;
    }

    private Process start(Path bin, String... words) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("backprop"));
        command.addAll(List.of(words));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + dir.resolve("fake-maven") + ":" + System.getenv("PATH"));
        pb.environment().put("BACKPROP_NO_CACHE", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("BACKPROP_NICE");
        pb.command().set(0, bin.resolve("backprop").toString());
        return pb.start();
    }

    private static String output(Process p) throws Exception {
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        // The build's one line ("building target/backprop.jar ...") goes to whichever command built it.
        return text.lines().filter(l -> !l.startsWith("backprop: building")).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
