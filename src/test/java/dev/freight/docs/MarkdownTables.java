package dev.freight.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rows of a documentation page's Markdown tables, as maps from column header to cell text. */
final class MarkdownTables {

    private static final Pattern LEADING_CODE = Pattern.compile("^`([^`]*)`");

    private MarkdownTables() {
    }

    static String read(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every row of every table on {@code page} whose header row starts with {@code firstHeader}. */
    static List<Map<String, String>> rows(Path page, String firstHeader) {
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> headers = null;
        for (String line : read(page).split("\n")) {
            if (!line.startsWith("|")) {
                headers = null;
                continue;
            }
            List<String> cells = cells(line);
            if (headers == null) {
                headers = cells.get(0).equals(firstHeader) ? cells : List.of();
            } else if (!headers.isEmpty() && !line.startsWith("|---")) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int column = 0; column < headers.size(); column++) {
                    row.put(headers.get(column), column < cells.size() ? cells.get(column) : "");
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The text of a cell's leading {@code `code`} span, or null when the cell does not start with one. */
    static String leadingCode(String cell) {
        Matcher code = LEADING_CODE.matcher(cell);
        return code.find() ? code.group(1) : null;
    }

    /** A row split at the pipes that are not inside a {@code `code`} span. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean inCode = false;
        for (char c : line.substring(1).toCharArray()) {
            if (c == '`') {
                inCode = !inCode;
            }
            if (c == '|' && !inCode) {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells.isEmpty() ? Arrays.asList(line) : cells;
    }
}
