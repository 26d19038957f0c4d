package org.childrensgateway.mappers.outbound;

/**
 * CSV injection (OWASP): a cell a spreadsheet would read as a formula, one beginning with
 * {@code = + - @}, tab or carriage return, is written with a leading single quote, which Excel and
 * LibreOffice show as text. Applied to every cell, negative numbers and {@code +44} phone numbers
 * included (OWASP: neutralise all; docs/mappings.md, "CSV exports and formulas").
 */
public final class CsvCells {

    private CsvCells() {
    }

    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        return switch (cell.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + cell;
            default -> cell;
        };
    }
}
