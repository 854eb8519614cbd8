package dev.tollgate.billing;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;

/**
 * The key's own item refused a hold or charge: it was revoked, disabled or expired, perhaps on another instance
 * after this one cached it. The same 401 {@code invalid_api_key} authentication would have given.
 */
public final class KeyRefusedException extends ApiException {

    private final String keyHash;

    public KeyRefusedException(String keyHash, String reason) {
        super(ErrorCode.INVALID_API_KEY, reason);
        this.keyHash = keyHash;
    }

    /** The refused key's stored hash, so caches can forget it. */
    public String keyHash() {
        return keyHash;
    }
}
