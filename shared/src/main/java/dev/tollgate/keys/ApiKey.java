package dev.tollgate.keys;

import dev.tollgate.money.Money;
import dev.tollgate.windows.WindowLimit;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An API key as stored: never the secret, only its SHA-256 hash and a short public prefix for display.
 *
 * @param budget        the most this key may spend in total, or {@code null} for no key budget (the
 *                      account balance still caps it)
 * @param spent         what the key has spent so far, including open holds
 * @param allowedModels public model ids this key may use; empty means all
 * @param expiresAt     when the key stops working, or {@code null}
 * @param rpmLimit      requests per minute, or {@code null} for unlimited
 * @param revokedAt     when it was revoked, or {@code null}
 * @param limits        the key's own spend windows (narrower than its account's plan, or the only ones), empty for none
 * @param tpmLimit      tokens per minute (held, then settled), or {@code null} for unlimited
 */
public record ApiKey(
        String keyId,
        String accountId,
        String secretHash,
        String prefix,
        String name,
        KeyRole role,
        Money budget,
        Money spent,
        Set<String> allowedModels,
        Instant expiresAt,
        boolean disabled,
        Integer rpmLimit,
        Instant createdAt,
        Instant revokedAt,
        List<WindowLimit> limits,
        Integer tpmLimit) {

    public ApiKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(role, "role");
        spent = spent == null ? Money.ZERO : spent;
        allowedModels = allowedModels == null ? Set.of() : Set.copyOf(allowedModels);
        limits = limits == null ? List.of() : List.copyOf(limits);
    }

    /** A key without spend windows or a token limit (as every key was before they existed). */
    public ApiKey(String keyId, String accountId, String secretHash, String prefix, String name, KeyRole role, Money budget,
                  Money spent, Set<String> allowedModels, Instant expiresAt, boolean disabled, Integer rpmLimit,
                  Instant createdAt, Instant revokedAt) {
        this(keyId, accountId, secretHash, prefix, name, role, budget, spent, allowedModels, expiresAt, disabled, rpmLimit,
                createdAt, revokedAt, List.of(), null);
    }

    /** Whether requests of this key are counted per minute across instances ({@code rpm_limit} or {@code tpm_limit}). */
    public boolean rateLimited() {
        return rpmLimit != null || tpmLimit != null;
    }

    /** A new active key with no limits. */
    public static ApiKey create(String keyId, String accountId, KeySecret secret, String name, KeyRole role, Instant now) {
        return new ApiKey(keyId, accountId, secret.hash(), secret.prefix(), name, role,
                null, Money.ZERO, Set.of(), null, false, null, now, null);
    }

    /** Why this key cannot be used at {@code now}, or {@code null} if it can. */
    public String unusableReason(Instant now) {
        if (revokedAt != null) {
            return "This API key was revoked. Create a new key with a management key.";
        }
        if (disabled) {
            return "This API key is disabled. Re-enable it or use another key.";
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return "This API key expired at " + expiresAt + ". Create a new key with a management key.";
        }
        return null;
    }

    public boolean allowsModel(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }

    /**
     * What the key may still spend, or {@code null} without a key budget. Never negative for display,
     * although the stored {@code remaining} is below zero when a budget was lowered under what was spent.
     */
    public Money budgetRemaining() {
        return budget == null ? null : budget.minus(spent).max(Money.ZERO);
    }

    /** {@code revoked}, {@code disabled}, {@code expired} or {@code active}: what key lists show. */
    public String status(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        if (disabled) {
            return "disabled";
        }
        return expiresAt != null && !now.isBefore(expiresAt) ? "expired" : "active";
    }
}
