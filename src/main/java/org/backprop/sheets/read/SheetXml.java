package org.backprop.sheets.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a worksheet part (SpreadsheetML's {@code <sheetData>}) as a stream: each {@code <c>} with its type, its
 * {@code <f>} formula (shared formulas by their {@code si}) and its {@code <v>} value as written, so a number keeps the
 * digits the file stores. Streaming keeps an audit from building POI's whole object model of every sheet.
 */
final class SheetXml {
    private SheetXml() {
    }

    static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newInstance();
        // A workbook is untrusted input: no DTDs, no external entities.
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }

    static SheetCells read(InputStream in, String name, int index, List<String> strings) throws IOException {
        List<Cell> cells = new ArrayList<>();
        Map<Integer, SheetCells.SharedFormula> shared = new HashMap<>();
        try {
            XMLStreamReader x = factory().createXMLStreamReader(in);
            int row = -1;
            int nextColumn = 0;
            int r = 0;
            int c = 0;
            String type = null;
            String value = null;
            String formula = null;
            int si = -1;
            StringBuilder inline = null;
            while (x.hasNext()) {
                int event = x.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (x.getLocalName()) {
                        case "row" -> {
                            String rr = x.getAttributeValue(null, "r");
                            row = rr == null ? row + 1 : Integer.parseInt(rr) - 1;
                            nextColumn = 0;
                        }
                        case "c" -> {
                            String ref = x.getAttributeValue(null, "r");
                            r = row;
                            c = nextColumn;
                            if (ref != null) {
                                int[] at = parseReference(ref);
                                r = at[0];
                                c = at[1];
                            }
                            nextColumn = c + 1;
                            type = x.getAttributeValue(null, "t");
                            value = null;
                            formula = null;
                            si = -1;
                            inline = null;
                        }
                        case "f" -> {
                            boolean isShared = "shared".equals(x.getAttributeValue(null, "t"));
                            String siText = x.getAttributeValue(null, "si");
                            String text = x.getElementText();
                            if (isShared && siText != null) {
                                si = Integer.parseInt(siText);
                                if (!text.isBlank()) {
                                    shared.put(si, new SheetCells.SharedFormula(text, r, c));
                                    formula = text;
                                }
                            } else {
                                formula = text;
                            }
                        }
                        case "v" -> value = x.getElementText();
                        case "is" -> inline = new StringBuilder();
                        case "t" -> {
                            if (inline != null) {
                                inline.append(x.getElementText());
                            }
                        }
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && x.getLocalName().equals("c")) {
                    cells.add(cell(r, c, type, value, inline, formula, si, strings));
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            throw new IOException("the sheet '" + name + "' is not valid SpreadsheetML: " + e.getMessage(), e);
        }
        return new SheetCells(name, index, cells, shared);
    }

    private static Cell cell(int r, int c, String type, String value, StringBuilder inline, String formula, int si, List<String> strings) {
        String t = type == null ? "n" : type;
        return switch (t) {
            case "s" -> new Cell(r, c, Cell.Kind.STRING, value == null ? "" : strings.get(Integer.parseInt(value.strip())), formula, si);
            case "str" -> new Cell(r, c, Cell.Kind.STRING, value == null ? "" : value, formula, si);
            case "inlineStr" -> new Cell(r, c, Cell.Kind.STRING, inline == null ? (value == null ? "" : value) : SharedStringsXml.decode(inline), formula, si);
            case "b" -> new Cell(r, c, Cell.Kind.BOOLEAN, value, formula, si);
            case "e" -> new Cell(r, c, Cell.Kind.ERROR, value, formula, si);
            default -> value == null || value.isBlank() ? new Cell(r, c, Cell.Kind.BLANK, null, formula, si)
                    : new Cell(r, c, Cell.Kind.NUMBER, value.strip(), formula, si);
        };
    }

    /** "AB12" as {row 11, column 27}. */
    static int[] parseReference(String ref) {
        int i = 0;
        int column = 0;
        while (i < ref.length() && Character.isLetter(ref.charAt(i))) {
            column = column * 26 + (Character.toUpperCase(ref.charAt(i)) - 'A' + 1);
            i++;
        }
        int row = 0;
        for (; i < ref.length(); i++) {
            char ch = ref.charAt(i);
            if (ch >= '0' && ch <= '9') {
                row = row * 10 + (ch - '0');
            }
        }
        return new int[] {row - 1, column - 1};
    }
}
