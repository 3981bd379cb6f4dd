package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever {@code sql} is sent, it reads the store's tables and views and nothing else: no file, no other database,
 * no Java code, no setting, and no Java object rebuilt from bytes. Each refusal is one line, exit code 2.
 */
class SqlConsoleLimitsTest {
    @TempDir
    static Path dir;

    private static final String READS = "the query asks for what no account of a store may do (files, other databases, Java code,"
            + " settings, users): the sql command reads the store's tables and views only (Admin rights are required for this operation)";

    @BeforeAll
    static void aStore() {
        assertEquals(0, new Cli(dir).run("train", "--epochs", "3").exitCode());
    }

    static Stream<Arguments> beyondTheStore() {
        Path file = dir.resolve("written");
        return Stream.of(
                Arguments.of("a file read", "SELECT FILE_READ('/etc/passwd')"),
                Arguments.of("a file read as CSV", "SELECT * FROM CSVREAD('/etc/passwd')"),
                Arguments.of("a script run", "RUNSCRIPT FROM '/etc/passwd'"),
                Arguments.of("a file written", "SELECT FILE_WRITE(X'00', '" + file + "')"),
                Arguments.of("a CSV written", "CALL CSVWRITE('" + file + "', 'SELECT 1')"),
                Arguments.of("the database scripted to a file", "SCRIPT TO '" + file + "'"),
                Arguments.of("a backup", "BACKUP TO '" + file + "'"),
                Arguments.of("a linked table", "CREATE LINKED TABLE l('', 'jdbc:h2:mem:x', '', '', 't')"),
                Arguments.of("a linked schema", "CALL LINK_SCHEMA('x', '', 'jdbc:h2:mem:y', '', '', 'PUBLIC')"),
                Arguments.of("Java code as a function", "CREATE ALIAS P FOR 'java.lang.System.getProperty'"),
                Arguments.of("Java source as a function", "CREATE ALIAS Q AS 'String q() { return \"x\"; }'"),
                Arguments.of("Java code after a query", "SELECT 1; CREATE ALIAS P FOR 'java.lang.System.getProperty'"),
                Arguments.of("Java code as a trigger", "CREATE TRIGGER t BEFORE INSERT ON run_started CALL 'java.lang.Object'"),
                Arguments.of("Java code as an aggregate", "CREATE AGGREGATE a FOR 'java.lang.Object'"),
                Arguments.of("Java code as a table engine", "CREATE TABLE e (x INT) ENGINE \"java.lang.Object\""),
                Arguments.of("a setting", "SET WRITE_DELAY 1000"),
                Arguments.of("a user", "CREATE USER stranger PASSWORD 'x' ADMIN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("beyondTheStore")
    void sqlReachesNothingBeyondTheStoresTablesAndViews(String what, String sql) {
        Cli.Result r = new Cli(dir).run("sql", sql);
        assertEquals(2, r.exitCode(), what + ": " + r.out() + r.err());
        // A second statement is refused before anything reaches the database, whatever it would have done.
        String refusal = what.equals("Java code after a query") ? "backprop: give one query: the text holds another statement after the ';'" : "backprop: " + READS + "\n";
        assertTrue(r.err().startsWith(refusal), what + ": " + r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(dir.resolve("written")), what + " wrote nothing");
    }

    private static String hex(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return HexFormat.of().formatHex(b.toByteArray());
    }

    /** Sets nested so that rebuilding them hashes each level twice: 2^depth work (the was 30 s, then out of memory). */
    private static Serializable nestedSetBomb(int depth) {
        Set<Object> root = new HashSet<>();
        Set<Object> a = root;
        Set<Object> b = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            Set<Object> a2 = new HashSet<>();
            Set<Object> b2 = new HashSet<>();
            a2.add("x");
            a.add(a2);
            a.add(b2);
            b.add(a2);
            b.add(b2);
            a = a2;
            b = b2;
        }
        return (Serializable) root;
    }

    @Test
    void javaObjectsAreNeverRebuiltFromWhatAQuerySends() throws IOException {
        String object = hex(new ArrayList<>(List.of("rebuilt", new java.io.File("/etc/passwd"))));
        String bomb = hex(nestedSetBomb(40));
        String refusal = "the query returns serialized Java objects (column o is %s), which backprop never deserializes: select their"
                + " bytes instead, with CAST(... AS VARBINARY)";
        for (String[] c : new String[][] {
                {"SELECT CAST(X'" + object + "' AS JAVA_OBJECT) AS o", refusal.formatted("JAVA_OBJECT")},
                {"SELECT CAST(X'" + bomb + "' AS JAVA_OBJECT) AS o", refusal.formatted("JAVA_OBJECT")},
                {"SELECT ARRAY[CAST(X'" + object + "' AS JAVA_OBJECT)] AS o", refusal.formatted("JAVA_OBJECT ARRAY")},
                {"SELECT ROW(CAST(X'" + object + "' AS JAVA_OBJECT)) AS o", refusal.formatted("ROW(\"C1\" JAVA_OBJECT)")},
                {"SELECT CAST(CAST(X'" + bomb + "' AS JAVA_OBJECT) AS VARCHAR) AS o",
                    "the query is not valid SQL for this store: Data conversion error converting \"JAVA_OBJECT to CHARACTER VARYING\""}}) {
            Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new Cli(dir).run("sql", c[0]));
            assertEquals(2, r.exitCode(), r.out() + r.err());
            assertEquals("backprop: " + c[1] + "\n", r.err());
        }
        Cli.Result bytes = new Cli(dir).run("sql", "SELECT CAST(CAST(X'" + object + "' AS JAVA_OBJECT) AS VARBINARY) AS o");
        assertEquals(List.of("o", object), bytes.lines(), "the bytes themselves may be read");
    }

    @Test
    void theQueriesOfTheReadmeStillRun() {
        Cli.Result r = new Cli(dir).run("sql", "SELECT epoch, total_error FROM epoch_losses WHERE run_id = 1", "--format", "csv");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(4, r.lines().size());
        assertTrue(r.lines().get(1).startsWith("0,0.01418137793789"), r.out());
    }
}
