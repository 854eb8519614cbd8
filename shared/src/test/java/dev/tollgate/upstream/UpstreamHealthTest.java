package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last known state of each upstream, and the address that may be shown for it. */
class UpstreamHealthTest {

    @Test
    void theShownAddressKeepsNoCredentialsQueryOrFragment() {
        assertThat(UpstreamHealth.displayUrl(URI.create("https://user:secret@llm.example.com:8443/v1?key=sk-123#x")))
                .isEqualTo("https://llm.example.com:8443/v1");
        assertThat(UpstreamHealth.displayUrl(URI.create("http://localhost:11434/v1"))).isEqualTo("http://localhost:11434/v1");
    }

    @Test
    void everyUpstreamStartsUnknownThenFollowsWhatCallsAndProbesSaw() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T00:00:00Z"));
        UpstreamHealth health = new UpstreamHealth(Map.of("ollama",
                UpstreamSettings.defaults("ollama", URI.create("http://localhost:11434/v1"))), clock);
        assertThat(health.status("ollama").state()).isEqualTo(UpstreamHealth.State.UNKNOWN);

        health.probe("ollama", timeout -> List.of("gemma3:1b"), Duration.ofSeconds(1));
        assertThat(health.status("ollama").state()).isEqualTo(UpstreamHealth.State.UP);
        assertThat(health.status("ollama").models()).containsExactly("gemma3:1b");

        clock.advance(Duration.ofSeconds(5));
        health.unreachable("ollama", "connection refused");
        UpstreamHealth.Status down = health.status("ollama");
        assertThat(down.state()).isEqualTo(UpstreamHealth.State.DOWN);
        assertThat(down.detail()).isEqualTo("connection refused");
        assertThat(down.checkedAt()).isEqualTo(Instant.parse("2026-12-06T00:00:05Z"));
        assertThat(down.models()).as("the last list is kept").containsExactly("gemma3:1b");

        health.answered("ollama");
        assertThat(health.status("ollama").state()).isEqualTo(UpstreamHealth.State.UP);
        health.answered("unknown-name"); // not configured: ignored
        assertThat(health.statuses()).hasSize(1);
    }
}
