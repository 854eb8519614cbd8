package dev.tollgate.keys;

/**
 * The characters a name shown to people (an account's or a key's) may not contain. Control characters (C0, DEL,
 * C1) break logs, terminals and CSV exports, and NUL truncates strings in C tools; bidirectional controls make
 * a name display differently from what it is (the "Trojan Source" trick, CVE-2021-42574), so a key list could
 * show a name that reads like another key's. A lone surrogate is not text at all and cannot be stored as UTF-8.
 */
public final class DisplayNames {

    private DisplayNames() {
    }

    /** A description of the first character that a display name may not contain, or null when there is none. */
    public static String forbiddenCharacter(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return "a control character (" + codePoint(c) + ")";
            }
            if (isBidiControl(c)) {
                return "a bidirectional-text control character (" + codePoint(c) + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "an unpaired UTF-16 surrogate (" + codePoint(c) + ")";
            }
        }
        return null;
    }

    /** U+061C, U+200E, U+200F, U+202A to U+202E and U+2066 to U+2069: Unicode's explicit directional formatting. */
    static boolean isBidiControl(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }
}
