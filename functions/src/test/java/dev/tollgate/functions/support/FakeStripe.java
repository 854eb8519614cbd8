// The Checkout Session shape follows Stripe's API reference for POST /v1/checkout/sessions (mode=payment):
// a cs_test_ id, an open session with payment_status "unpaid" and a checkout.stripe.com URL.
package dev.tollgate.functions.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local stand-in for api.stripe.com (no stripe-mock binary exists here): answers
 * {@code POST /v1/checkout/sessions} and {@code POST /v1/payment_intents} ({@link PaymentIntents}) like Stripe, from
 * the form-encoded request it records, or with a Stripe error when told to fail. stripe-java reaches it through {@code tollgate.stripe.api-base}.
 */
public final class FakeStripe implements AutoCloseable {

    /** One request as received: lower-case header names, the form decoded to {@code metadata[topup_id]}-style keys. */
    public record Request(String method, String path, Map<String, String> headers, Map<String, String> form) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int failWith;
    private volatile String sessionAnswer;
    private volatile boolean hosted;
    private final Map<String, Map<String, String>> sessions = new java.util.concurrent.ConcurrentHashMap<>();
    private final PaymentIntents intents = new PaymentIntents();

    private FakeStripe(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static FakeStripe start() {
        try {
            return new FakeStripe(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code tollgate.stripe.api-base} should be: {@code http://127.0.0.1:PORT}. */
    public String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * From now on, sessions' {@code url} points at a page this fake serves ({@code GET /c/pay/<session id>}) whose
     * "Pay" link goes to the session's success URL, as Stripe's hosted Checkout does once paid: for browser tests.
     * The payment itself is the signed webhook the test delivers.
     */
    public void hostCheckoutPages() {
        this.hosted = true;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Answers every following request with this HTTP status and a Stripe error, or normally again with 0. */
    public void failWith(int status) {
        this.failWith = status;
    }

    /** Answers every following checkout session request with 200 and this body instead of a session, or normally with null. */
    public void answerSessionsWith(String body) {
        this.sessionAnswer = body;
    }

    /** Off-session PaymentIntents: how the fake answers them, and the ones it created. */
    public PaymentIntents paymentIntents() {
        return intents;
    }

    public void reset() {
        intents.reset();
        requests.clear();
        failWith = 0;
        sessionAnswer = null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, form(body));
        requests.add(request);
        if (failWith != 0) {
            respond(exchange, failWith, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"parameter_invalid\","
                    + "\"message\":\"Fake Stripe was told to fail.\",\"request_log_url\":\"https://dashboard.stripe.com/test/logs\"}}");
        } else if ("POST".equals(request.method()) && "/v1/payment_intents".equals(request.path())) {
            PaymentIntents.Answer answer = intents.create(request);
            respond(exchange, answer.status(), answer.body());
        } else if ("POST".equals(request.method()) && "/v1/checkout/sessions".equals(request.path())) {
            String answer = sessionAnswer;
            respond(exchange, 200, answer != null ? answer : session(request.form()));
        } else if ("GET".equals(request.method()) && request.path().startsWith("/c/pay/")
                && sessions.containsKey(request.path().substring(7))) {
            checkoutPage(exchange, request.path().substring(7));
        } else {
            respond(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL ("
                    + request.method() + ": " + request.path() + ").\"}}");
        }
    }

    /** A minimal hosted Checkout page: the amount, and links to the success and cancel URLs. */
    private void checkoutPage(HttpExchange exchange, String id) throws IOException {
        Map<String, String> form = sessions.get(id);
        String success = form.get("success_url").replace("{CHECKOUT_SESSION_ID}", id);
        String html = "<!DOCTYPE html><html><body><h1>Fake Checkout</h1><p id=\"amount\">"
                + form.get("line_items[0][price_data][unit_amount]") + " cents</p><a id=\"pay\" href=\""
                + success.replace("&", "&amp;") + "\">Pay</a> <a id=\"cancel\" href=\""
                + form.get("cancel_url").replace("&", "&amp;") + "\">Cancel</a></body></html>";
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String session(Map<String, String> form) {
        String id = "cs_test_a1" + HexFormat.of().formatHex(random(24));
        sessions.put(id, form);
        long now = Instant.now().getEpochSecond();
        String amount = form.getOrDefault("line_items[0][price_data][unit_amount]", "0");
        return """
                {"id":"%s","object":"checkout.session","amount_subtotal":%s,"amount_total":%s,\
                "cancel_url":%s,"client_reference_id":%s,"created":%d,"currency":"usd","customer":null,\
                "customer_creation":"if_required","expires_at":%d,"livemode":false,\
                "metadata":{"topup_id":%s,"account_id":%s},"mode":"payment","payment_intent":null,\
                "payment_method_types":["card"],"payment_status":"unpaid","status":"open","success_url":%s,\
                "ui_mode":"hosted","url":"%s/c/pay/%s"}"""
                .formatted(id, amount, amount, quote(form.get("cancel_url")), quote(form.get("client_reference_id")), now,
                        now + 86_400, quote(form.get("metadata[topup_id]")), quote(form.get("metadata[account_id]")),
                        quote(form.get("success_url")), hosted ? apiBase() : "https://checkout.stripe.com", id);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String quote(String value) {
        return value == null ? "null" : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_fake" + HexFormat.of().formatHex(random(6)));
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
