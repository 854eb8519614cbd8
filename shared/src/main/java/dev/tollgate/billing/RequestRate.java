package dev.tollgate.billing;

/**
 * A key's per-minute limits as a request is counted against them across all instances: one request, and
 * {@code tokens} (the prompt plus the output bound) when the key has a {@code tpm_limit}.
 *
 * @param rpm {@code rpm_limit}, or {@code null}
 * @param tpm {@code tpm_limit}, or {@code null}
 */
public record RequestRate(String keyId, Integer rpm, Integer tpm, long tokens) {

    /** The tokens counted in the minute: none unless the key limits tokens. */
    public long countedTokens() {
        return tpm == null ? 0 : tokens;
    }
}
