package dev.tollgate.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' view of the same events: metrics {@code tollgate.alerts} (tag kind) and {@code tollgate.topups.auto}
 * (tag result: started, succeeded, failed). The default logs them; a metrics registry plugs in by implementing this.
 */
public interface AlertEvents {

    void alert(AlertKind kind);

    void autoTopUp(String result);

    AlertEvents LOGGING = new AlertEvents() {
        private final Logger log = LoggerFactory.getLogger(AlertEvents.class);

        @Override
        public void alert(AlertKind kind) {
            log.info("metric tollgate.alerts kind={}", kind.wire());
        }

        @Override
        public void autoTopUp(String result) {
            log.info("metric tollgate.topups.auto result={}", result);
        }
    };
}
