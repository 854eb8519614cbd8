package dev.tollgate.functions.wiring;

import dev.tollgate.functions.config.UpstreamConfig;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.upstream.ChatProvider;
import dev.tollgate.upstream.anthropic.AnthropicProvider;
import dev.tollgate.upstream.bedrock.BedrockProvider;
import dev.tollgate.upstream.openai.OpenAiCompatibleProvider;
import dev.tollgate.http.UpstreamHttp;
import dev.tollgate.upstream.UpstreamSettings;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** The provider adapter an upstream's {@code kind} names; the one place that knows every kind. */
final class ChatProviderFactory {

    private ChatProviderFactory() {
    }

    static ChatProvider create(UpstreamConfig upstream, Clock clock, Metrics metrics) {
        UpstreamSettings settings = upstream.toSettings();
        return switch (upstream.getKind()) {
            case UpstreamConfig.ANTHROPIC -> new AnthropicProvider(settings, UpstreamHttp.forSettings(settings), clock, metrics);
            // The default chain: on Lambda the function's role, locally the usual AWS profile or environment.
            case UpstreamConfig.BEDROCK -> new BedrockProvider(settings, upstream.getRegion(),
                    DefaultCredentialsProvider.builder().build(), UpstreamHttp.forSettings(settings), clock, metrics);
            default -> new OpenAiCompatibleProvider(settings, UpstreamHttp.forSettings(settings), upstream.usesResponsesApi(),
                    metrics);
        };
    }
}
