package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.upstream.UpstreamSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up refuses settings under which a request outlives its hold or its Lambda function. */
class RequestLifetimeTest {

    private static final Catalog CATALOG = CatalogLoader.loadDefault();
    private static final StreamSettings STREAM = new StreamSettings(Duration.ofSeconds(15), Duration.ofMinutes(14),
            Duration.ofSeconds(1), Duration.ofSeconds(10));

    @Test
    void theShippedDefaultsPass() {
        // ollama: connect 5 s, first byte 60 s, request 10 min, 1 retry after 200 ms; streams 14 min; hold 20 min.
        Map<String, UpstreamSettings> upstreams = Map.of("ollama", upstream(Duration.ofMinutes(10), 1));
        assertThat(RequestLifetime.worstCase(CATALOG, upstreams, STREAM)).isEqualTo(Duration.ofMinutes(14).plusSeconds(10));
        RequestLifetime.check(Duration.ofMinutes(20), Duration.ofMinutes(15), CATALOG, upstreams, STREAM);
    }

    @Test
    void aHoldShorterThanTheLongestBufferedRequestIsRefused() {
        // 3 retries of 65 s each, pauses of 200 + 400 + 800 ms, and a 20-minute request timeout: about 23.5 minutes.
        Map<String, UpstreamSettings> upstreams = Map.of("ollama", upstream(Duration.ofMinutes(20), 3));
        assertThat(RequestLifetime.worstCase(CATALOG, upstreams, STREAM))
                .isEqualTo(Duration.ofSeconds(3 * 65).plusMillis(1400).plusSeconds(5).plusMinutes(20).plusSeconds(10));
        assertThatThrownBy(() -> RequestLifetime.check(Duration.ofMinutes(20), null, CATALOG, upstreams, STREAM))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tollgate.hold-ttl");
    }

    @Test
    void aStreamThatCannotSettleBeforeTheFunctionStopsIsRefused() {
        Map<String, UpstreamSettings> upstreams = Map.of("ollama", upstream(Duration.ofMinutes(10), 1));
        assertThatThrownBy(() -> RequestLifetime.check(Duration.ofMinutes(20), Duration.ofMinutes(14), CATALOG, upstreams,
                STREAM)).isInstanceOf(IllegalStateException.class).hasMessageContaining("settle-margin");
    }

    private static UpstreamSettings upstream(Duration requestTimeout, int retries) {
        return new UpstreamSettings("ollama", URI.create("http://localhost:11434/v1"), null, Duration.ofSeconds(5),
                Duration.ofSeconds(60), Duration.ofSeconds(120), requestTimeout, retries, Duration.ofMillis(200), Map.of());
    }
}
