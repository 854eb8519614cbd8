package dev.tollgate.embeddings;

/** {@code encoding_format}: vectors as JSON numbers, or as base64 of little-endian float32 (as OpenAI sends them). */
public enum EncodingFormat {
    FLOAT("float"),
    BASE64("base64");

    private final String wire;

    EncodingFormat(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
