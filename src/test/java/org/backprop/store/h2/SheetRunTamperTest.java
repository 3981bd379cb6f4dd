package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.backprop.cli.Cli;
import org.backprop.sheets.TutorialSheet;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run recorded from a sheet is not re-executed, but its hash chain still names any change behind the application's back. */
class SheetRunTamperTest {
    @TempDir
    Path dir;

    private Cli cli;
    private String url;

    @BeforeEach
    void recordASheet() throws Exception {
        cli = new Cli(dir);
        Path book = TutorialSheet.of(TutorialSheet.table().with(t -> t.rows = 10)).write(dir.resolve("student.xlsx"));
        assertEquals(0, cli.run("audit", book.toString(), "--record").exitCode());
        url = StoreLocation.of(cli.store().toString()).url();
        Cli.Result before = cli.run("verify", "1");
        assertEquals(0, before.exitCode(), before.out());
        assertTrue(before.out().contains("ok: recorded from a sheet (student.xlsx, sheet 'Sheet1', table at A32"), before.out());
    }

    private Connection admin() throws Exception {
        Connection c = StoreAccounts.owner(cli.store());
        return c;
    }

    @Test
    void anEditedSheetValueIsNamedByTheHashChain() throws Exception {
        try (Connection admin = admin(); Statement s = admin.createStatement()) {
            s.execute("DROP TRIGGER epoch_blocks_is_append_only");
            byte[] payload;
            try (ResultSet rs = s.executeQuery("SELECT payload FROM epoch_blocks WHERE run_id = 1 AND first_epoch = 0")) {
                rs.next();
                payload = rs.getBytes(1);
            }
            int epochBytes = payload.length / 10;
            ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
            b.putDouble(3 * epochBytes, b.getDouble(3 * epochBytes) + 0.01);
            try (PreparedStatement u = admin.prepareStatement("UPDATE epoch_blocks SET payload = ? WHERE run_id = 1 AND first_epoch = 0")) {
                u.setBytes(1, payload);
                assertEquals(1, u.executeUpdate());
            }
        }
        Cli.Result r = cli.run("verify", "1");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("DIFFERS: recorded from a sheet (student.xlsx"), r.out());
        assertTrue(r.out().endsWith("values not re-executed; the first event whose hash no longer matches is epoch 3\n"), r.out());
    }

    @Test
    void removingTheSheetSourceBreaksTheStartHashAndTheRunIsReExecuted() throws Exception {
        try (Connection admin = admin(); Statement s = admin.createStatement()) {
            s.execute("DROP TRIGGER run_started_is_append_only");
            s.executeUpdate("UPDATE run_started SET config = REGEXP_REPLACE(config, ',\"source\":\\{.*\\}}$', '}') WHERE run_id = 1");
        }
        Cli.Result r = cli.run("verify", "1");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("DIFFERS: epoch 0:"), "without its source the sheet's values are re-executed, and differ: " + r.out());
        assertTrue(r.out().contains("the first event whose hash no longer matches is the start event"), r.out());
    }
}
