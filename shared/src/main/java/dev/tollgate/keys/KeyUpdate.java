package dev.tollgate.keys;

import dev.tollgate.money.Money;
import dev.tollgate.windows.WindowLimit;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The settings of a key a management key may set at creation or change later. Each field is a
 * {@link Change}, so an update names only what it changes. What a key has spent is never part of it:
 * only billing moves {@code spent}.
 *
 * @param budget        {@code null} value removes the key budget
 * @param allowedModels {@code null} or empty value allows every model
 * @param limits        the key's spend windows, replaced whole; {@code null} or empty removes them
 */
public record KeyUpdate(
        Change<String> name,
        Change<Money> budget,
        Change<Set<String>> allowedModels,
        Change<Instant> expiresAt,
        Change<Integer> rpmLimit,
        Change<Boolean> disabled,
        Change<List<WindowLimit>> limits,
        Change<Integer> tpmLimit) {

    public static final KeyUpdate NONE = new KeyUpdate(Change.keep(), Change.keep(), Change.keep(), Change.keep(),
            Change.keep(), Change.keep());

    /** An update of the settings keys had before spend windows and token limits. */
    public KeyUpdate(Change<String> name, Change<Money> budget, Change<Set<String>> allowedModels, Change<Instant> expiresAt,
                     Change<Integer> rpmLimit, Change<Boolean> disabled) {
        this(name, budget, allowedModels, expiresAt, rpmLimit, disabled, Change.keep(), Change.keep());
    }

    public boolean isEmpty() {
        return Stream.of(name, budget, allowedModels, expiresAt, rpmLimit, disabled, limits, tpmLimit)
                .noneMatch(Change::present);
    }

    /** {@code key} with these changes applied, in memory (the store applies them with its own conditions). */
    public ApiKey applyTo(ApiKey key) {
        Set<String> models = allowedModels.or(key.allowedModels());
        return new ApiKey(key.keyId(), key.accountId(), key.secretHash(), key.prefix(), name.or(key.name()), key.role(),
                budget.or(key.budget()), key.spent(), models == null ? Set.of() : models, expiresAt.or(key.expiresAt()),
                Boolean.TRUE.equals(disabled.or(key.disabled())), rpmLimit.or(key.rpmLimit()), key.createdAt(),
                key.revokedAt(), limits.or(key.limits()), tpmLimit.or(key.tpmLimit()));
    }
}
