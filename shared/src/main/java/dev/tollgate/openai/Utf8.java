package dev.tollgate.openai;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), done before
 * Jackson sees a body. Jackson checks string values but not always field names: it pads the last bytes of a name
 * with 0xFF before looking it up, so {@code "referenc\xFFe"} could be read as an earlier {@code "reference"}.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The offset of the first byte that is not part of well-formed UTF-8, or -1 when all of it is. */
    static int firstInvalid(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min = 0x80;
            int max = 0xBF; // bounds of the second byte, narrower after E0, ED, F0 and F4
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                min = b == 0xE0 ? 0xA0 : 0x80;
                max = b == 0xED ? 0x9F : 0xBF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                min = b == 0xF0 ? 0x90 : 0x80;
                max = b == 0xF4 ? 0x8F : 0xBF;
            } else {
                return i;
            }
            if (i + length > bytes.length) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i + 1;
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return i + k;
                }
            }
            i += length;
        }
        return -1;
    }
}
