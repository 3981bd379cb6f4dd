package org.backprop.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another local user, as an attacker on the same machine: {@code nobody} (through {@code runuser}) when the tests run
 * as root, else this user as a plain client, with no more than a client's tools: H2's own shell from the H2 jar, and
 * {@code cat}.
 */
final class Stranger {
    private final boolean otherUser;
    private final Path h2Jar;

    private Stranger(boolean otherUser, Path h2Jar) {
        this.otherUser = otherUser;
        this.h2Jar = h2Jar;
    }

    /** What a command run as the stranger printed (both streams) and how it exited. */
    record Result(int exitCode, String output) {
        /** The first line of the output, where H2's shell says why it failed. */
        String firstLine() {
            return output.lines().findFirst().orElse("");
        }
    }

    /** The stranger for this machine; {@code folder} receives a copy of H2's jar that any user may read. */
    static Stranger on(Path folder) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/runuser"))
                && run(List.of("id", "-u", "nobody")).exitCode() == 0;
        Path jar;
        try {
            jar = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path shared = Files.createDirectories(folder.resolve("public"));
        Path copy = Files.copy(jar, shared.resolve("h2.jar"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new Stranger(root, copy);
    }

    /** True when the stranger is another user of the machine (the tests run as root), not this one. */
    boolean isAnotherUser() {
        return otherUser;
    }

    /** Who the stranger is, for messages. */
    String who() {
        return otherUser ? "user nobody" : System.getProperty("user.name") + " as a plain client (not root, so no second user)";
    }

    /** {@code cat FILE} as the stranger. */
    Result cat(Path file) {
        return as(List.of("cat", file.toString()));
    }

    /** One SQL statement through H2's own shell, as the stranger: connecting with {@code user} and {@code password}. */
    Result h2Shell(String url, String user, String password, String sql) {
        return as(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", h2Jar.toString(), "org.h2.tools.Shell",
                "-url", url, "-user", user, "-password", password, "-sql", sql));
    }

    private Result as(List<String> command) {
        List<String> all = new ArrayList<>();
        if (otherUser) {
            all.addAll(Arrays.asList("/usr/sbin/runuser", "-u", "nobody", "--"));
        }
        all.addAll(command);
        return run(all);
    }

    static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not end within two minutes");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
