package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backprop.store.StoreLocation;
import org.backprop.store.h2.StoreAccounts;
import org.backprop.store.h2.StoreChecks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks, made as another local user of the machine would make them ({@code nobody} when the tests run as
 * root, else this user as a plain client) with nothing but H2's own shell, and from another address (a network
 * namespace the test makes, or this machine's own non-loopback addresses). Each one fails.
 */
@Tag("slow")
class StrangerTest {
    private static final List<String> USERS = List.of("BACKPROP_OWNER", "BACKPROP_APP", "BACKPROP_READER");
    private static final String WRONG_PASSWORD = "Wrong user name or password";
    private static final String NO_ADMIN = "Admin rights are required for this operation";
    private static final String CODE = "CREATE ALIAS RUN_AS_YOU FOR 'java.lang.System.getProperty'";

    @TempDir
    Path dir;

    private Stranger stranger;

    @BeforeEach
    void aStranger() throws IOException {
        stranger = Stranger.on(dir);
        System.out.println("StrangerTest: the stranger is " + stranger.who());
    }

    /** The passwords every store's users had before stores got their own: each user's name, lower case, '-' for '_'. */
    private static String fixedPassword(String user) {
        return user.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String role(String user) {
        return user.substring("BACKPROP_".length()).toLowerCase(java.util.Locale.ROOT);
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** Waits until the process serves the store (its lock file names its AUTO_SERVER) and has committed epochs. */
    private static void awaitServing(CliProcess holder, Path store) throws InterruptedException {
        CliProcess.await("the process serves the store", Duration.ofSeconds(60), () -> {
            assertTrue(holder.isAlive(), holder.out() + holder.err());
            return Files.exists(Path.of(store + ".lock.db")) && StoreChecks.committedEpochs(store, 1) > 0;
        });
    }

    /** The URL of the store's AUTO_SERVER, read from its lock file by its owner: the stranger is given it, as if it had leaked. */
    private static String autoServerUrl(Path store) throws IOException {
        Properties lock = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(store + ".lock.db"), StandardCharsets.ISO_8859_1)) {
            lock.load(in);
        }
        return "jdbc:h2:tcp://" + lock.getProperty("server") + "/" + lock.getProperty("id");
    }

    /** The addresses and ports a process listens on, as {@code ss} lists them; empty when there is no {@code ss}. */
    private static Optional<List<String>> listening(long pid) {
        Stranger.Result ss;
        try {
            ss = Stranger.run(List.of("ss", "-ltnpH"));
        } catch (java.io.UncheckedIOException e) {
            return Optional.empty();
        }
        List<String> found = new ArrayList<>();
        for (String line : ss.output().lines().toList()) {
            if (line.contains("pid=" + pid + ",")) {
                found.add(line.trim().split("\\s+")[3]);
            }
        }
        return Optional.of(found);
    }

    private static int port(String listening) {
        return Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
    }

    /**
     * Every port the process listens on ({@code known} when there is no {@code ss} to list them) is bound to the
     * loopback address, and refuses a connection through this machine's other addresses and from another host.
     */
    private static void assertNoPortOpenToOtherAddresses(CliProcess process, int known) {
        Optional<List<String>> listed = listening(process.pid());
        List<String> ports = listed.orElse(List.of("127.0.0.1:" + known));
        if (listed.isEmpty()) {
            System.out.println("StrangerTest: no ss command to list the ports of " + process + "; trying the one it named, " + known);
        }
        assertTrue(ports.contains("127.0.0.1:" + known) || ports.contains("[::ffff:127.0.0.1]:" + known), process + " listens on " + ports);
        for (String p : ports) {
            assertTrue(p.equals("127.0.0.1:" + port(p)) || p.equals("[::ffff:127.0.0.1]:" + port(p)), process + " listens on " + p);
        }
        List<String> why = new ArrayList<>();
        Optional<OtherHost> other = OtherHost.make(why);
        try {
            List<String> addresses = OtherHost.addressesOfThisMachine();
            Assumptions.assumeTrue(other.isPresent() || !addresses.isEmpty(), "no address but loopback and " + why
                    + ": no connection from another address can be tried");
            other.ifPresent(OtherHost::assertReachesThisMachine);
            for (String p : ports) {
                for (String address : addresses) {
                    assertThrows(ConnectException.class, () -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(address, port(p)), 5000);
                        }
                    }, "port " + port(p) + " through " + address);
                }
                other.ifPresent(host -> assertFalse(host.connects(port(p)), "port " + port(p) + " from another host"));
            }
            if (other.isEmpty()) {
                System.out.println("StrangerTest: no network namespace (" + why + "); tried this machine's addresses " + addresses);
            }
        } finally {
            other.ifPresent(OtherHost::close);
        }
    }

    @Test
    void aStoreInUseKeepsItsFilesItsServerAndJavaCodeFromStrangers() throws Exception {
        Path store = dir.resolve("store");
        try (CliProcess holder = CliProcess.startSlow(dir, "train", "--db", store.toString(), "--epochs", "5000000", "-q")) {
            awaitServing(holder, store);
            for (String file : List.of(".mv.db", ".lock.db", ".credentials")) {
                Path f = Path.of(store + file);
                assertEquals("rw-------", mode(f), f.toString());
                if (stranger.isAnotherUser()) {
                    Stranger.Result r = stranger.cat(f);
                    assertNotEquals(0, r.exitCode(), r.output());
                    assertEquals("cat: " + f + ": Permission denied", r.firstLine());
                }
            }
            String url = autoServerUrl(store);
            // The AUTO_SERVER opens only the store whose key the lock file holds: no other name, no new database.
            for (String name : List.of("mem:x", "newdb", store.toString())) {
                Stranger.Result other = stranger.h2Shell(url.substring(0, url.lastIndexOf('/') + 1) + name, "SA", "", "CALL 1");
                assertTrue(other.firstLine().endsWith(WRONG_PASSWORD + " [28000-232]"), name + ": " + other.output());
            }
            for (String user : USERS) {
                Stranger.Result fixed = stranger.h2Shell(url, user, fixedPassword(user), "CALL 1");
                assertTrue(fixed.firstLine().endsWith(WRONG_PASSWORD + " [28000-232]"), user + ": " + fixed.output());
                // Even with the store's own credentials (had they leaked), no connection over the network runs code.
                String[] account = StoreAccounts.credentials(store, role(user));
                Stranger.Result code = stranger.h2Shell(url, account[0], account[1], CODE);
                assertTrue(code.firstLine().startsWith("Error: org.h2.jdbc.JdbcSQLNonTransientException: " + NO_ADMIN), user + ": " + code.output());
            }
            assertNoPortOpenToOtherAddresses(holder, port(url.substring(0, url.lastIndexOf('/'))));
        }
    }

    @Test
    void aMigratedStoreRefusesTheFixedPasswordsToo() throws Exception {
        Path store = dir.resolve("old");
        try (InputStream fixture = getClass().getResourceAsStream("/fixtures/v1-store.mv.db")) {
            Files.copy(fixture, Path.of(store + ".mv.db"));
        }
        try (CliProcess holder = CliProcess.startSlow(dir, "train", "--db", store.toString(), "--epochs", "5000000", "-q")) {
            CliProcess.await("the process serves the store", Duration.ofSeconds(60), () -> {
                assertTrue(holder.isAlive(), holder.out() + holder.err());
                return Files.exists(Path.of(store + ".lock.db")) && StoreChecks.committedEpochs(store, 7) > 0;
            });
            assertEquals("backprop: the store " + store + ".mv.db had the fixed passwords of backprop 0.2 and older: it has credentials of"
                    + " its own now, in " + store + ".credentials (readable by you only; keep it with the store)\n", holder.err());
            String url = autoServerUrl(store);
            for (String user : USERS) {
                Stranger.Result fixed = stranger.h2Shell(url, user, fixedPassword(user), "CALL 1");
                assertTrue(fixed.firstLine().endsWith(WRONG_PASSWORD + " [28000-232]"), user + ": " + fixed.output());
            }
            assertEquals("rw-------", mode(Path.of(store + ".mv.db")));
        }
    }

    @Test
    void theServerServesItsStoresOnlyToClientsWithTheirCredentialsAndRunsNoCode() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("stores"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(0, new Cli(dir).run("train", "--db", folder.resolve("lab").toString(), "--epochs", "3").exitCode());
        // Someone's own H2 database, with H2's default admin and no password, in the folder served.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + folder.resolve("private"), "SA", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE secrets (x INT)");
        }
        try (CliProcess server = CliProcess.start(dir, "server", "--dir", folder.toString(), "--port", "0")) {
            int port = ServerClients.awaitPort(server);
            assertTrue(server.out().contains("  not served: private.mv.db: "), server.out());
            String base = "jdbc:h2:tcp://localhost:" + port + "/";
            for (String name : List.of("newdb", "mem:x", "private", "../stores/lab", "mem:management_db_" + port)) {
                Stranger.Result r = stranger.h2Shell(base + name, "SA", "", "CALL 1");
                assertTrue(r.firstLine().contains("Database \"" + name + "\" not found"), name + ": " + r.output());
            }
            for (String user : USERS) {
                Stranger.Result fixed = stranger.h2Shell(base + "lab", user, fixedPassword(user), "CALL 1");
                assertTrue(fixed.firstLine().endsWith(WRONG_PASSWORD + " [28000-232]"), user + ": " + fixed.output());
                String[] account = StoreAccounts.credentials(folder.resolve("lab"), role(user));
                Stranger.Result code = stranger.h2Shell(base + "lab", account[0], account[1], CODE);
                assertTrue(code.firstLine().startsWith("Error: org.h2.jdbc.JdbcSQLNonTransientException: " + NO_ADMIN), user + ": " + code.output());
            }
            String[] app = StoreAccounts.credentials(folder.resolve("lab"), "app");
            Stranger.Result wrong = stranger.h2Shell(base + "lab", app[0], app[1] + "x", "CALL 1");
            assertTrue(wrong.firstLine().endsWith(WRONG_PASSWORD + " [28000-232]"), wrong.output());
            Stranger.Result read = stranger.h2Shell(base + "lab", app[0], app[1], "SELECT COUNT(*) AS n FROM runs");
            assertTrue(read.output().contains("\n1\n"), "with the store's credentials a client reads it: " + read.output());
            assertNoPortOpenToOtherAddresses(server, port);
        }
        try (var files = Files.list(folder)) {
            assertEquals(List.of("lab.credentials", "lab.mv.db", "private.mv.db"), files.map(f -> f.getFileName().toString())
                    .filter(n -> !n.endsWith(".trace.db")).sorted().toList(), "no database was created through the server");
        }
    }

    @Test
    void withAllowOthersTheServerSpeaksOnlyTlsWithTheKeyWhoseFingerprintItPrints() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("stores"));
        assertEquals(0, new Cli(dir).run("train", "--db", folder.resolve("lab").toString(), "--epochs", "3").exitCode());
        Path credentials = ServerClients.clientCredentials(folder.resolve("lab"), dir.resolve("lab-client.credentials"));
        Path config = dir.resolve("config");
        try (CliProcess server = CliProcess.startWithEnvironment(dir, Map.of("XDG_CONFIG_HOME", config.toString()),
                "server", "--dir", folder.toString(), "--port", "0", "--allow-others")) {
            int port = ServerClients.awaitPort(server);
            Matcher printed = Pattern.compile("SHA-256 fingerprint ([0-9A-F:]{95})\n").matcher(server.out());
            assertTrue(printed.find(), server.out());
            String fingerprint = printed.group(1);
            assertEquals(fingerprintOf(config.resolve("backprop")), fingerprint, "the fingerprint of the key the server shows");
            assertEquals("rw-------", mode(config.resolve("backprop").resolve("server-tls.p12")));
            assertTrue(server.out().contains("every address of this machine, over TLS only: plain connections are refused"), server.out());
            List<String> why = new ArrayList<>();
            Optional<OtherHost> other = OtherHost.make(why);
            try {
                List<String> addresses = OtherHost.addressesOfThisMachine();
                // From another host where there can be one, else through another address, else (only loopback) locally.
                String address = other.map(OtherHost::addressOfThisMachine).orElse(addresses.isEmpty() ? "127.0.0.1" : addresses.get(0));
                System.out.println("StrangerTest: TLS clients connect to " + address + (other.isPresent() ? " from another host" : ""));
                // A plain H2 client is refused before any login.
                Stranger.Result plain = stranger.h2Shell("jdbc:h2:tcp://" + address + ":" + port + "/lab", "BACKPROP_APP", "x", "CALL 1");
                assertTrue(plain.firstLine().contains("Connection is broken"), plain.output());
                String ssl = "jdbc:h2:ssl://" + address + ":" + port + "/";
                Map<String, String> client = Map.of(StoreLocation.CREDENTIALS_VARIABLE, credentials.toString(),
                        StoreLocation.FINGERPRINT_VARIABLE, fingerprint);
                Stranger.Result runs = client(other, client, "runs", "--db", ssl + "lab", "--format", "csv");
                assertEquals(0, runs.exitCode(), runs.output());
                assertTrue(runs.output().contains("\n1,seed,2-2-2,0.1,3,3,completed,"), "a client with TLS and the credentials reads: " + runs.output());
                Stranger.Result code = client(other, client, "sql", CODE, "--db", ssl + "lab");
                assertEquals("backprop: the query asks for what no account of a store may do (files, other databases, Java code, settings,"
                        + " users): the sql command reads the store's tables and views only (" + NO_ADMIN + ")\n", code.output());
                Stranger.Result unknown = client(other, client, "runs", "--db", ssl + "other");
                assertEquals("backprop: the server has no store " + ssl + "other (nothing was created): check the name after the port; a"
                        + " server serves only the stores in its folder, which are made where they are kept ('backprop train --db FOLDER/NAME')\n",
                        unknown.output());
                Path wrong = dir.resolve("wrong.credentials");
                Files.writeString(wrong, Files.readString(credentials).replaceAll("app.password=.*", "app.password=guessed"));
                Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
                Stranger.Result guessed = client(other, Map.of(StoreLocation.CREDENTIALS_VARIABLE, wrong.toString(),
                        StoreLocation.FINGERPRINT_VARIABLE, fingerprint), "runs", "--db", ssl + "lab");
                assertEquals("backprop: the credentials in " + wrong + " do not open the store " + ssl + "lab (wrong user or password): ask"
                        + " the server's owner for the app and reader lines of its credentials file\n", guessed.output());
                String other64 = fingerprint.replace('A', 'B').replace('0', '1');
                Stranger.Result impostor = client(other, Map.of(StoreLocation.CREDENTIALS_VARIABLE, credentials.toString(),
                        StoreLocation.FINGERPRINT_VARIABLE, other64), "runs", "--db", ssl + "lab");
                assertEquals(1, impostor.output().lines().count(), impostor.output());
                assertTrue(impostor.output().contains("the server's certificate has the SHA-256 fingerprint " + fingerprint + ", not " + other64),
                        impostor.output());
            } finally {
                other.ifPresent(OtherHost::close);
            }
        }
    }

    /** Runs {@code backprop ARGS} as a client on the other host (or this machine), with these environment variables. */
    private Stranger.Result client(Optional<OtherHost> host, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(host.map(h -> h.on(command)).orElse(command)).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Stranger.Result(p.waitFor(), out);
    }

    private static String fingerprintOf(Path folder) throws Exception {
        char[] password = Files.readAllLines(folder.resolve("server-tls.password")).get(0).toCharArray();
        KeyStore store = KeyStore.getInstance(folder.resolve("server-tls.p12").toFile(), password);
        Certificate certificate = store.getCertificate(Collections.list(store.aliases()).get(0));
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }
}
