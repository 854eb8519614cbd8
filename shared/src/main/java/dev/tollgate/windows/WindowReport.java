package dev.tollgate.windows;

import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyStore;
import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /v1/key} and {@code GET /v1/usage} show of the calling key's windows: the key as stored now, the
 * account's plan, every window with its use, and the tightest per window (the numbers of the credit headers).
 */
public final class WindowReport {

    private final KeyStore keys;
    private final SpendWindows windows;

    public WindowReport(KeyStore keys, SpendWindows windows) {
        this.keys = keys;
        this.windows = windows;
    }

    /**
     * @param key     the calling key as stored now (not as cached for authentication)
     * @param all     every window, the plan's then the key's
     * @param credits the tightest per window
     */
    public record Report(ApiKey key, Optional<Plan> plan, List<WindowUsage> all, List<WindowUsage> credits) {
    }

    public Report report(ApiKey caller) {
        ApiKey key = keys.findByHash(caller.secretHash()).orElse(caller);
        List<WindowUsage> all = windows.usage(windows.applicable(key));
        return new Report(key, windows.planOf(key.accountId()), all, SpendWindows.tightest(all));
    }
}
