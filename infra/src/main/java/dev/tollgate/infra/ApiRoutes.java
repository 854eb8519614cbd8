package dev.tollgate.infra;

import java.util.List;

/**
 * The REST API's routes and the function behind each. {@code template.yaml} declares the same routes
 * (SamTemplateConsistencyTest), and the application's controllers serve exactly these
 * ({@code LambdaRoutesTest} in functions compares Micronaut's routes with template.yaml).
 */
public final class ApiRoutes {

    private ApiRoutes() {
    }

    /** Which function serves a route. */
    public enum Target {
        /** Buffered, through the API Gateway proxy handler (SnapStart). */
        API,
        /** Streamed: response transfer mode STREAM to the Web Adapter function. */
        CHAT,
        /** Unauthenticated at the gateway; the function checks Stripe-Signature. */
        STRIPE_WEBHOOK
    }

    /** An API Gateway method: HTTP method, resource path ({@code {id+}} is greedy) and target. */
    public record Route(String method, String path, Target target) {
    }

    public static final List<Route> ALL = List.of(
            new Route("GET", "/v1/models", Target.API),
            new Route("GET", "/v1/models/{id+}", Target.API),
            new Route("POST", "/v1/chat/completions", Target.CHAT),
            new Route("POST", "/v1/messages", Target.CHAT),
            new Route("POST", "/v1/messages/count_tokens", Target.API),
            new Route("POST", "/v1/responses", Target.CHAT),
            new Route("POST", "/v1/completions", Target.CHAT),
            new Route("GET", "/v1/responses/{id}", Target.API),
            new Route("DELETE", "/v1/responses/{id}", Target.API),
            new Route("POST", "/v1/embeddings", Target.API),
            new Route("GET", "/v1/usage", Target.API),
            new Route("GET", "/v1/key", Target.API),
            new Route("POST", "/v1/keys", Target.API),
            new Route("GET", "/v1/keys", Target.API),
            new Route("GET", "/v1/keys/{id}", Target.API),
            new Route("PATCH", "/v1/keys/{id}", Target.API),
            new Route("DELETE", "/v1/keys/{id}", Target.API),
            new Route("POST", "/v1/billing/checkout", Target.API),
            new Route("GET", "/v1/billing/topups", Target.API),
            new Route("GET", "/v1/billing/topups/{id}", Target.API),
            new Route("GET", "/v1/billing/auto-topup", Target.API),
            new Route("PATCH", "/v1/billing/auto-topup", Target.API),
            new Route("GET", "/v1/alerts", Target.API),
            new Route("GET", "/v1/alerts/deliveries", Target.API),
            new Route("GET", "/v1/alerts/settings", Target.API),
            new Route("PATCH", "/v1/alerts/settings", Target.API),
            new Route("GET", "/v1/requests", Target.API),
            new Route("GET", "/v1/requests/{id}", Target.API),
            new Route("GET", "/v1/statement", Target.API),
            new Route("POST", "/admin/accounts", Target.API),
            new Route("GET", "/admin/accounts/{accountId}", Target.API),
            new Route("POST", "/admin/accounts/{accountId}/credits", Target.API),
            new Route("GET", "/admin/accounts/{accountId}/plan", Target.API),
            new Route("PUT", "/admin/accounts/{accountId}/plan", Target.API),
            new Route("GET", "/admin/stats", Target.API),
            new Route("GET", "/health", Target.API),
            new Route("GET", "/ready", Target.API),
            new Route("GET", "/openapi.yaml", Target.API),
            // The web console (server-rendered HTML, docs/adr/0009-web-console.md); GET / leads to it.
            new Route("GET", "/", Target.API),
            new Route("GET", "/console", Target.API),
            new Route("GET", "/console/sign-in", Target.API),
            new Route("POST", "/console/sign-in", Target.API),
            new Route("POST", "/console/sign-out", Target.API),
            new Route("GET", "/console/static/{file}", Target.API),
            new Route("GET", "/console/keys", Target.API),
            new Route("POST", "/console/keys", Target.API),
            new Route("GET", "/console/keys/{id}", Target.API),
            new Route("POST", "/console/keys/{id}", Target.API),
            new Route("POST", "/console/keys/{id}/{action}", Target.API),
            new Route("GET", "/console/billing", Target.API),
            new Route("POST", "/console/billing/checkout", Target.API),
            new Route("POST", "/console/billing/auto-topup", Target.API),
            new Route("POST", "/console/billing/alerts", Target.API),
            new Route("GET", "/console/billing/statement", Target.API),
            new Route("GET", "/console/billing/statement/export.csv", Target.API),
            new Route("GET", "/console/models", Target.API),
            new Route("GET", "/console/requests", Target.API),
            new Route("GET", "/console/requests/export.csv", Target.API),
            new Route("GET", "/console/requests/{id}", Target.API),
            new Route("GET", "/console/operator", Target.API),
            new Route("GET", "/console/operator/sign-in", Target.API),
            new Route("POST", "/console/operator/sign-in", Target.API),
            new Route("POST", "/console/operator/sign-out", Target.API),
            new Route("POST", "/console/operator/accounts", Target.API),
            new Route("GET", "/console/operator/accounts/{id}", Target.API),
            new Route("POST", "/console/operator/accounts/{id}/credits", Target.API),
            new Route("GET", "/console/operator/health", Target.API),
            new Route("POST", "/webhooks/stripe", Target.STRIPE_WEBHOOK));

    /** The Stripe webhook's path, for the WebhookUrl output. */
    public static final String STRIPE_WEBHOOK_PATH = "webhooks/stripe";
}
