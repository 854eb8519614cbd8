package dev.tollgate.ledger;

import java.util.List;

/**
 * RFC 4180 lines (CRLF, fields quoted when they hold a comma, quote or line break). A text field that a spreadsheet
 * would run as a formula (starting with {@code = + - @}, tab or carriage return) is prefixed with an apostrophe:
 * key names, notes and model ids come from users. Numbers are written as they are.
 */
final class Csv {

    private final StringBuilder out = new StringBuilder();

    Csv row(List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object field = fields.get(i);
            if (field instanceof java.math.BigDecimal decimal) {
                out.append(decimal.toPlainString());
            } else if (field instanceof Number number) {
                out.append(number);
            } else if (field != null) {
                out.append(text(field.toString()));
            }
        }
        out.append("\r\n");
        return this;
    }

    /** Dollars with six decimals, written as a number (a leading minus is a sign here, not a formula). */
    static Object money(dev.tollgate.money.Money amount) {
        return amount == null ? null : java.math.BigDecimal.valueOf(amount.micros(), 6);
    }

    private static String text(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') < 0 && safe.indexOf('"') < 0 && safe.indexOf('\n') < 0 && safe.indexOf('\r') < 0) {
            return safe;
        }
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
