// Shapes follow Stripe's API reference: the PaymentIntent object, and the 402 card_error of a confirmed off-session
// PaymentIntent (error.code card_declined or authentication_required, error.payment_intent with status
// requires_payment_method), as documented under "Errors" and "Decline codes".
package dev.tollgate.functions.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fake's {@code POST /v1/payment_intents}. Like Stripe it keeps the first answer per {@code Idempotency-Key} and
 * repeats it for any retry with that key, so {@link #created()} counts distinct payments, not requests.
 */
public final class PaymentIntents {

    /** How the next PaymentIntents end. */
    public enum Mode { SUCCEED, DECLINE, AUTHENTICATION_REQUIRED, REQUIRES_ACTION, SERVER_ERROR }

    record Answer(int status, String body) {
    }

    /** One PaymentIntent this fake created, with the form it was created from. */
    public record Created(String id, Map<String, String> form, String status) {
    }

    private volatile Mode mode = Mode.SUCCEED;
    private final Map<String, Answer> byIdempotencyKey = new ConcurrentHashMap<>();
    private final List<Created> created = new CopyOnWriteArrayList<>();

    public void answer(Mode mode) {
        this.mode = mode;
    }

    public List<Created> created() {
        return List.copyOf(created);
    }

    void reset() {
        mode = Mode.SUCCEED;
        byIdempotencyKey.clear();
        created.clear();
    }

    Answer create(FakeStripe.Request request) {
        String key = request.headers().get("idempotency-key");
        if (mode == Mode.SERVER_ERROR) {
            // Not stored: Stripe does not save the result of a request that failed with a 5xx.
            return new Answer(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"Fake Stripe was told to fail.\"}}");
        }
        return key == null ? fresh(request.form()) : byIdempotencyKey.computeIfAbsent(key, k -> fresh(request.form()));
    }

    private Answer fresh(Map<String, String> form) {
        String id = "pi_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        Mode now = mode;
        String status = switch (now) {
            case SUCCEED -> "succeeded";
            case REQUIRES_ACTION -> "requires_action";
            default -> "requires_payment_method";
        };
        created.add(new Created(id, form, status));
        String intent = intent(id, form, status);
        return switch (now) {
            case DECLINE -> new Answer(402, error("card_declined", "insufficient_funds", "Your card has insufficient funds.",
                    "card-declined", intent));
            case AUTHENTICATION_REQUIRED -> new Answer(402, error("authentication_required", "authentication_required",
                    "Your card was declined. This transaction requires authentication.", "authentication-required", intent));
            default -> new Answer(200, intent);
        };
    }

    private static String error(String code, String declineCode, String message, String doc, String intent) {
        return """
                {"error":{"charge":"ch_test_declined","code":"%s","decline_code":"%s",\
                "doc_url":"https://stripe.com/docs/error-codes/%s","message":"%s","payment_intent":%s,\
                "request_log_url":"https://dashboard.stripe.com/test/logs/req_fake","type":"card_error"}}"""
                .formatted(code, declineCode, doc, message, intent);
    }

    private static String intent(String id, Map<String, String> form, String status) {
        String amount = form.getOrDefault("amount", "0");
        return """
                {"id":"%s","object":"payment_intent","amount":%s,"amount_received":%s,"capture_method":"automatic_async",\
                "confirmation_method":"automatic","created":%d,"currency":"%s","customer":%s,"description":%s,\
                "livemode":false,"metadata":{"topup_id":%s,"account_id":%s,"kind":%s},"next_action":%s,\
                "payment_method":%s,"payment_method_types":["card"],"setup_future_usage":null,"status":"%s"}"""
                .formatted(id, amount, "succeeded".equals(status) ? amount : "0", Instant.now().getEpochSecond(),
                        form.getOrDefault("currency", "usd"), q(form.get("customer")), q(form.get("description")),
                        q(form.get("metadata[topup_id]")), q(form.get("metadata[account_id]")), q(form.get("metadata[kind]")),
                        "requires_action".equals(status) ? "{\"type\":\"use_stripe_sdk\"}" : "null",
                        q(form.get("payment_method")), status);
    }

    private static String q(String value) {
        return value == null ? "null" : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
