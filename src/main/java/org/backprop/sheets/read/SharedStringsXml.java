package org.backprop.sheets.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The shared strings part as plain strings, read as a stream: each {@code <si>}'s text (its runs joined, phonetic
 * hints left out), with Excel's {@code _xHHHH_} escapes decoded. POI's own tables hand each string out as a rich-text
 * object, whose first use loads XMLBeans' whole schema (a third of a short audit).
 */
final class SharedStringsXml {
    private SharedStringsXml() {
    }

    static List<String> read(InputStream in) throws IOException {
        List<String> strings = new ArrayList<>();
        if (in == null) {
            return strings;
        }
        try {
            XMLStreamReader x = SheetXml.factory().createXMLStreamReader(in);
            StringBuilder item = null;
            int phonetic = 0;
            while (x.hasNext()) {
                int event = x.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (x.getLocalName()) {
                        case "si" -> item = new StringBuilder();
                        case "rPh" -> phonetic++;
                        case "t" -> {
                            String text = x.getElementText();
                            if (item != null && phonetic == 0) {
                                item.append(text);
                            }
                        }
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (x.getLocalName().equals("rPh")) {
                        phonetic--;
                    } else if (x.getLocalName().equals("si") && item != null) {
                        strings.add(decode(item));
                        item = null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new IOException("the shared strings are not valid SpreadsheetML: " + e.getMessage(), e);
        }
        return strings;
    }

    /** Excel writes characters XML cannot hold as _xHHHH_ (an escape character as _x001B_). */
    static String decode(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '_' && i + 6 < s.length() && s.charAt(i + 1) == 'x' && s.charAt(i + 6) == '_' && isHex(s, i + 2, i + 6)) {
                out.append((char) Integer.parseInt(s.subSequence(i + 2, i + 6).toString(), 16));
                i += 6;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    private static boolean isHex(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
