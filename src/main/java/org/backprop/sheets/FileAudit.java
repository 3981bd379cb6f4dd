package org.backprop.sheets;

import java.util.List;

/**
 * The audit of one workbook: its tables in sheet order, and the sheets searched that hold none (a chart, notes).
 *
 * @param file        the path as given
 * @param fileName    its name without the folder
 * @param application the application docProps/app.xml names, or ""
 */
public record FileAudit(String file, String fileName, String sha256, String application, List<TableAudit> tables,
                        List<String> sheetsWithoutTables) {

    public FileAudit {
        tables = List.copyOf(tables);
        sheetsWithoutTables = List.copyOf(sheetsWithoutTables);
    }

    public boolean anyDefective() {
        return tables.stream().anyMatch(t -> t.verdict() == Verdict.DEFECTIVE);
    }
}
