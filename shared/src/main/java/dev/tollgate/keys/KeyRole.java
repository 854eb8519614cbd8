package dev.tollgate.keys;

/** What a key may do. Management keys may also call the inference endpoints. */
public enum KeyRole {
    /** Calls the model endpoints and reads its own usage. */
    INFERENCE,
    /** Everything an inference key can, plus creating, listing and revoking keys and topping up. */
    MANAGEMENT;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static KeyRole fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
