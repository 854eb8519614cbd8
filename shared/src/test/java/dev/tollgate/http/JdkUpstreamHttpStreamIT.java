package dev.tollgate.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK client's streamed body (used for TLS upstreams; plain HTTP here, which it speaks too) runs the relay's
 * hook before a read that waits for the network, as Tollgate's own client does: an event relayed just before a
 * comment is not held until the upstream's next event.
 */
@Timeout(30)
class JdkUpstreamHttpStreamIT {

    @Test
    void theWaitingHookRunsBeforeAReadThatWaitsForTheNetwork() throws Exception {
        JdkUpstreamHttp client = new JdkUpstreamHttp(Duration.ofSeconds(2));
        WaitingHookCheck.hookRunsBeforeAReadThatWaits(uri -> client.postStreamed(uri, Map.of(),
                "{\"model\":\"m\",\"stream\":true,\"messages\":[]}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)), false);
    }
}
