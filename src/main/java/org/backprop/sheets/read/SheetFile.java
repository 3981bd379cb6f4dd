package org.backprop.sheets.read;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.poi.EmptyFileException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.poifs.filesystem.FileMagic;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.opc.PackageRelationship;
import org.apache.poi.openxml4j.opc.PackageRelationshipTypes;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.backprop.sheets.SheetFileException;

/**
 * An .xlsx workbook read once, whole, through POI's package and streaming readers: every sheet's cells with their
 * stored digits and formulas, what identifies the file (its name and SHA-256) and the application that wrote it. Everything else is refused with one sentence saying what to do: an .xls or .ods (convert it), a
 * password-protected workbook (remove the password), a corrupt file, and a zip bomb (POI's own inflation limits).
 */
public final class SheetFile {
    /** POI's zip-bomb guard: an entry may expand at most 100 times its compressed size... */
    private static final double MIN_INFLATE_RATIO = 0.01;
    /** ...and to at most 200 MB, far beyond any hand-made table. */
    private static final long MAX_ENTRY_BYTES = 200L << 20;

    static {
        ZipSecureFile.setMinInflateRatio(MIN_INFLATE_RATIO);
        ZipSecureFile.setMaxEntrySize(MAX_ENTRY_BYTES);
    }

    private final Path path;
    private final String sha256;
    private final List<SheetCells> sheets;
    private final SheetFormulas formulas;
    private final String application;

    private SheetFile(Path path, String sha256, List<SheetCells> sheets, String application) {
        this.path = path;
        this.sha256 = sha256;
        this.sheets = List.copyOf(sheets);
        this.formulas = new SheetFormulas(sheets.stream().map(SheetCells::name).toList());
        this.application = application;
    }

    /** Opens the file, or says in one sentence why it cannot be audited. */
    public static SheetFile open(Path path) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new SheetFileException(name + " is a folder: give the .xlsx files in it (e.g. " + path.resolve("*.xlsx") + ")");
        }
        FileMagic magic;
        String sha;
        try {
            sha = sha256(path);
            if (Files.size(path) == 0) {
                throw new SheetFileException(name + " is empty (0 bytes), not an .xlsx workbook: give the workbook itself");
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
                magic = FileMagic.valueOf(in);
            }
        } catch (NoSuchFileException e) {
            throw new SheetFileException(name + " does not exist: give the path of an .xlsx workbook", e);
        } catch (IOException e) {
            throw new SheetFileException(name + " cannot be read (" + e.getMessage() + "): check that it is a file you may read", e);
        }
        if (magic == FileMagic.OLE2) {
            throw ole2(path);
        }
        if (magic != FileMagic.OOXML) {
            throw new SheetFileException(name + " is not an .xlsx workbook (" + describe(magic) + "): save it from Excel, LibreOffice"
                    + " or Google Sheets as an Excel workbook (.xlsx) and audit that");
        }
        refuseOpenDocument(path);
        OPCPackage pkg = null;
        try {
            pkg = OPCPackage.open(path.toFile(), PackageAccess.READ);
            XSSFReader reader = new XSSFReader(pkg);
            List<String> strings;
            try (InputStream in = reader.getSharedStringsData()) {
                strings = SharedStringsXml.read(in);
            }
            List<SheetCells> sheets = new ArrayList<>();
            XSSFReader.SheetIterator it = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (it.hasNext()) {
                try (InputStream in = it.next()) {
                    sheets.add(SheetXml.read(in, it.getSheetName(), sheets.size(), strings));
                }
            }
            String application = application(pkg);
            // Everything is read: let go of the file without writing anything back into it.
            pkg.revert();
            return new SheetFile(path, sha, sheets, application);
        } catch (IOException | OpenXML4JException | RuntimeException e) {
            if (pkg != null) {
                pkg.revert();
            }
            if (isZipBomb(e)) {
                throw new SheetFileException(name + " expands far beyond its size when unpacked (more than " + Math.round(1 / MIN_INFLATE_RATIO)
                        + " times, the limit POI sets against zip bombs), so it was not read: open it in a spreadsheet program and save it again", e);
            }
            throw new SheetFileException(name + " is a corrupt .xlsx workbook (" + firstLine(e) + "): open it in Excel or LibreOffice,"
                    + " save it again as .xlsx, and audit the copy", e);
        }
    }

    /** The Application docProps/app.xml names, or "". */
    private static String application(OPCPackage pkg) throws IOException {
        for (PackageRelationship rel : pkg.getRelationshipsByType(PackageRelationshipTypes.EXTENDED_PROPERTIES)) {
            PackagePart part = pkg.getPart(rel);
            if (part == null) {
                continue;
            }
            try (InputStream in = part.getInputStream()) {
                XMLStreamReader x = SheetXml.factory().createXMLStreamReader(in);
                while (x.hasNext()) {
                    if (x.next() == XMLStreamConstants.START_ELEMENT && x.getLocalName().equals("Application")) {
                        return x.getElementText().strip();
                    }
                }
            } catch (XMLStreamException e) {
                return "";
            }
        }
        return "";
    }

    private static SheetFileException ole2(Path path) {
        boolean encrypted;
        try (POIFSFileSystem fs = new POIFSFileSystem(path.toFile(), true)) {
            encrypted = fs.getRoot().hasEntry("EncryptionInfo");
        } catch (IOException | RuntimeException e) {
            encrypted = false;
        }
        if (encrypted) {
            return new SheetFileException(path + " is password-protected, so its cells cannot be read: open it, remove the password"
                    + " (Excel: File > Info > Protect Workbook > Encrypt with Password, clear it; LibreOffice: File > Properties > Security),"
                    + " save, and audit it again");
        }
        return new SheetFileException(path + " is an Excel 97-2003 workbook (.xls), which the audit does not read: open it in Excel"
                + " or LibreOffice and save it as an Excel workbook (.xlsx), then audit the .xlsx");
    }

    private static void refuseOpenDocument(Path path) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            ZipEntry mimetype = zip.getEntry("mimetype");
            if (mimetype != null && mimetype.getSize() < 200) {
                try (InputStream in = zip.getInputStream(mimetype)) {
                    String type = new String(in.readNBytes(200), java.nio.charset.StandardCharsets.US_ASCII);
                    if (type.startsWith("application/vnd.oasis.opendocument")) {
                        throw new SheetFileException(path + " is an OpenDocument spreadsheet (.ods), which the audit does not read:"
                                + " open it in LibreOffice and save it as Excel 2007-365 (.xlsx), then audit the .xlsx");
                    }
                }
            }
        } catch (IOException e) {
            throw new SheetFileException(path + " is a corrupt .xlsx workbook (" + firstLine(e) + "): open it in Excel or LibreOffice,"
                    + " save it again as .xlsx, and audit the copy", e);
        }
    }

    private static String describe(FileMagic magic) {
        return switch (magic) {
            case UNKNOWN -> "its first bytes are not those of any spreadsheet";
            case HTML -> "it is a web page";
            case XML -> "it is an XML file";
            case PDF -> "it is a PDF";
            default -> "it is a " + magic.name().toLowerCase(java.util.Locale.ROOT) + " file";
        };
    }

    private static boolean isZipBomb(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("zip bomb")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable e) {
        if (e instanceof EmptyFileException) {
            return "it is empty";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String sha256(Path path) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public Path path() {
        return path;
    }

    /** The file's name without its folder, as a start event records it. */
    public String fileName() {
        return path.getFileName().toString();
    }

    public String sha256() {
        return sha256;
    }

    /** Every sheet, in the workbook's order. */
    public List<SheetCells> sheets() {
        return sheets;
    }

    /** Reads the formulas of this workbook's cells with POI's parser. */
    public SheetFormulas formulas() {
        return formulas;
    }

    /** The application docProps/app.xml names ("Microsoft Excel", "LibreOffice/7.3…"), or "" when the file names none. */
    public String application() {
        return application;
    }
}
