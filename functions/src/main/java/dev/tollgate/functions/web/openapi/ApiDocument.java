package dev.tollgate.functions.web.openapi;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.annotations.servers.ServerVariable;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The document's header. Both credentials travel as {@code Authorization: Bearer ...}; they are two schemes
 * because they are different secrets: an account's API key for {@code /v1}, the operator's token for
 * {@code /admin}. The API key may also come in Anthropic's {@code x-api-key} header (AuthFilter): a third scheme for
 * the same secret, listed on the Anthropic Messages routes, whose clients send it. {@code ${api.version}} is the
 * Maven project version (functions/pom.xml passes it to the processor).
 */
@OpenAPIDefinition(
        info = @Info(title = "Tollgate", version = "${api.version}",
                description = "Pay-per-request, OpenAI-compatible LLM API. The /v1 endpoints speak OpenAI's wire "
                        + "format; every answer that moves money reports what it cost and the balance left. "
                        + "Errors are OpenAI's envelope {\"error\":{\"message\",\"type\",\"code\",\"param\"}}, "
                        + "except on /v1/messages (Anthropic's Messages API), where they are Anthropic's "
                        + "{\"type\":\"error\",\"error\":{\"type\",\"message\"}}."),
        servers = {
            @Server(url = "http://localhost:8080", description = "The local server (`./mvnw -Prun`)"),
            @Server(url = "https://{api}.execute-api.{region}.amazonaws.com/{stage}",
                    description = "A deployment on AWS (the stack's ApiUrl output, without /v1)",
                    variables = {
                        @ServerVariable(name = "api", defaultValue = "abc123", description = "REST API id"),
                        @ServerVariable(name = "region", defaultValue = "us-east-1"),
                        @ServerVariable(name = "stage", defaultValue = "dev")
                    })
        },
        tags = {
            @Tag(name = ApiDocument.INFERENCE, description = "Models, chat completions and embeddings, and the "
                    + "Anthropic Messages, OpenAI Responses and legacy completions formats, which the chat path serves "
                    + "after translation (billed per token)"),
            @Tag(name = ApiDocument.ACCOUNT, description = "Usage and API keys of the caller's account"),
            @Tag(name = ApiDocument.BILLING, description = "Prepaid top-ups with Stripe Checkout"),
            @Tag(name = ApiDocument.OPERATOR, description = "The operator's API (admin token)"),
            @Tag(name = ApiDocument.HEALTH, description = "Liveness and readiness, without authentication")
        })
@SecurityScheme(name = ApiDocument.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "sk-tg-...",
        description = "An API key of the account. Inference keys call the model endpoints and GET /v1/usage; "
                + "management keys can also manage keys and top up (others get 403 permission_denied).")
@SecurityScheme(name = ApiDocument.API_KEY_HEADER, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "x-api-key", description = "The same API key in Anthropic's header, as Anthropic's SDKs and "
                + "Claude Code send it. Listed on the Messages routes; any /v1 route reads it when no Authorization "
                + "header is sent.")
@SecurityScheme(name = ApiDocument.ADMIN_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The operator's admin token (tollgate.admin.token; on AWS from Secrets Manager). Without a "
                + "configured token the admin API answers 403.")
public final class ApiDocument {

    /** Security scheme: an account's API key. */
    public static final String API_KEY = "apiKey";
    /** Security scheme: an account's API key in {@code x-api-key} (the Anthropic Messages routes only). */
    public static final String API_KEY_HEADER = "apiKeyHeader";
    /** Security scheme: the operator's admin token. */
    public static final String ADMIN_TOKEN = "adminToken";

    public static final String INFERENCE = "Inference";
    public static final String ACCOUNT = "Account";
    public static final String BILLING = "Billing";
    public static final String OPERATOR = "Operator";
    public static final String HEALTH = "Health";

    private ApiDocument() {
    }
}
