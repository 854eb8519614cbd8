package dev.tollgate.billing;

import dev.tollgate.keys.ApiKey;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Told of every settlement whose balance is known, after it was written: alerts and auto top-up watch the balance,
 * the key's budget and the spend windows here. Implementations must return at once (the request is still being
 * answered) and hand any I/O to their own executor.
 */
@FunctionalInterface
public interface SettlementObserver {

    SettlementObserver NONE = (key, settlement) -> { };

    void settled(ApiKey key, Settlement settlement);

    /** All of {@code observers}, each shielded from the others' failures. */
    static SettlementObserver all(List<SettlementObserver> observers) {
        return (key, settlement) -> {
            for (SettlementObserver observer : observers) {
                try {
                    observer.settled(key, settlement);
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(SettlementObserver.class).warn("settlement observer failed: {}", e.toString());
                }
            }
        };
    }
}
