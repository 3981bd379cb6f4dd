package org.backprop.sheets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadFileTest {
    @TempDir
    Path dir;

    private String refused(Path file) {
        SheetFileException e = assertThrows(SheetFileException.class, () -> new Auditor(List.of(), Double.NaN).audit(file));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void anXlsIsRefusedWithHowToConvertIt() throws Exception {
        Path xls = dir.resolve("old.xls");
        try (HSSFWorkbook wb = new HSSFWorkbook(); OutputStream out = Files.newOutputStream(xls)) {
            wb.createSheet("LR = 0.1").createRow(0).createCell(0).setCellValue("t1");
            wb.write(out);
        }
        String m = refused(xls);
        assertTrue(m.contains("Excel 97-2003 workbook (.xls)") && m.contains("save it as an Excel workbook (.xlsx)"), m);
    }

    @Test
    void anOdsIsRefusedWithHowToConvertIt() throws Exception {
        Path ods = dir.resolve("sheet.ods");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(ods))) {
            ZipEntry mimetype = new ZipEntry("mimetype");
            zip.putNextEntry(mimetype);
            zip.write("application/vnd.oasis.opendocument.spreadsheet".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("content.xml"));
            zip.write("<office:document-content/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        String m = refused(ods);
        assertTrue(m.contains("OpenDocument spreadsheet (.ods)") && m.contains("save it as Excel 2007-365 (.xlsx)"), m);
    }

    @Test
    void aPasswordProtectedWorkbookIsRefused() throws Exception {
        Path plain = TutorialSheet.of(TutorialSheet.table().with(t -> t.rows = 3)).write(dir.resolve("plain.xlsx"));
        Path locked = dir.resolve("locked.xlsx");
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            Encryptor enc = new EncryptionInfo(EncryptionMode.agile).getEncryptor();
            enc.confirmPassword("secret");
            try (OutputStream os = enc.getDataStream(fs)) {
                Files.copy(plain, os);
            }
            try (OutputStream out = Files.newOutputStream(locked)) {
                fs.writeFilesystem(out);
            }
        }
        String m = refused(locked);
        assertTrue(m.contains("password-protected") && m.contains("remove the password"), m);
    }

    @Test
    void aCorruptFileIsRefused() throws Exception {
        Path good = TutorialSheet.of(TutorialSheet.table().with(t -> t.rows = 3)).write(dir.resolve("good.xlsx"));
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.xlsx"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(refused(truncated).contains("corrupt .xlsx workbook"));
        Path text = Files.writeString(dir.resolve("notes.xlsx"), "t1,t2,i1\n0.5,0.5,0.05\n");
        assertTrue(refused(text).contains("is not an .xlsx workbook"));
        Path empty = Files.write(dir.resolve("empty.xlsx"), new byte[0]);
        assertTrue(refused(empty).contains("not an .xlsx workbook"), refused(empty));
        assertTrue(refused(dir.resolve("missing.xlsx")).contains("does not exist"));
    }

    @Test
    void aWorkbookWithoutATableIsRefused() throws Exception {
        Path notes = dir.resolve("notes.xlsx");
        try (var wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(); OutputStream out = Files.newOutputStream(notes)) {
            var row = wb.createSheet("Notes").createRow(0);
            String[] few = {"w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"};
            for (int i = 0; i < few.length; i++) {
                row.createCell(i).setCellValue(few[i]);
            }
            wb.write(out);
        }
        String m = refused(notes);
        assertTrue(m.contains("holds no backprop table") && m.contains("(1 searched)"), m);
    }

    @Test
    void anUnknownSheetIsRefusedNamingTheSheets() throws Exception {
        Path file = TutorialSheet.of(TutorialSheet.table().with(t -> t.rows = 3)).write(dir.resolve("t.xlsx"));
        SheetFileException e = assertThrows(SheetFileException.class, () -> new Auditor(List.of("LR 9"), Double.NaN).audit(file));
        assertTrue(e.getMessage().contains("has no sheet 'LR 9': its sheets are 'Sheet1'"), e.getMessage());
    }

    @Test
    void aZipBombIsStoppedByPoisLimits() throws Exception {
        Path good = TutorialSheet.of(TutorialSheet.table().with(t -> t.rows = 3)).write(dir.resolve("good.xlsx"));
        // The same workbook with its sheet padded by 40 MB of blanks, which deflate a thousandfold.
        Path bomb = TutorialSheet.withEntry(good, dir.resolve("bomb.xlsx"), "xl/worksheets/sheet1.xml", content -> {
            String xml = new String(content, StandardCharsets.UTF_8);
            int at = xml.indexOf("<sheetData>");
            return (xml.substring(0, at) + " ".repeat(40 << 20) + xml.substring(at)).getBytes(StandardCharsets.UTF_8);
        });
        String m = refused(bomb);
        assertTrue(m.contains("zip bombs"), m);
    }
}
