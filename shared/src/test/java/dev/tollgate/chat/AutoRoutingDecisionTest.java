package dev.tollgate.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.CatalogLoader;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRole;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.money.Money;
import dev.tollgate.openai.ChatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision tables of {@code src/test/resources/routing} against the default catalog: which model auto routing
 * chooses, the route a request's {@code model}, {@code models} and {@code max_price} make, the hold, and the error
 * when nothing qualifies. See the README there for the fixture format.
 */
class AutoRoutingDecisionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog CATALOG = CatalogLoader.loadDefault();
    private static final TokenCounter TOKENS = new TokenCounter();
    private static final String[] TABLES = {"/routing/auto-decisions.json", "/routing/fallback-decisions.json"};

    static Stream<Arguments> cases() throws IOException {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String table : TABLES) {
            try (InputStream in = AutoRoutingDecisionTest.class.getResourceAsStream(table)) {
                for (JsonNode c : JSON.readTree(in)) {
                    cases.add(Arguments.of(c.get("name").asText(), c));
                }
            }
        }
        return cases.build();
    }

    @Test
    void theTablesHoldAFewDozenCasesWithDistinctNames() throws IOException {
        Set<String> names = new HashSet<>();
        cases().forEach(a -> assertThat(names.add((String) a.get()[0])).as("duplicate case %s", a.get()[0]).isTrue());
        assertThat(names).hasSizeGreaterThan(50);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, JsonNode c) {
        AtomicInteger balanceReads = new AtomicInteger();
        Money headroom = Money.parseDollars(c.path("headroom_usd").asText("5.00"));
        RoutePlanner planner = new RoutePlanner(new ModelResolver(CATALOG), new ChatAdmission(TOKENS), TOKENS, key -> {
            balanceReads.incrementAndGet();
            return headroom;
        });
        ChatRequest request = request(c.get("request"));
        JsonNode expect = c.get("expect");
        if (expect.has("status")) {
            ApiException e = catchThrowableOfType(ApiException.class, () -> planner.plan(request, key(c.path("key"))));
            assertThat(e).as("expected an error").isNotNull();
            assertThat(e.status()).isEqualTo(expect.get("status").asInt());
            assertThat(e.code().code()).isEqualTo(expect.get("code").asText());
            if (expect.has("param")) {
                assertThat(e.param()).isEqualTo(expect.get("param").asText());
            }
            expect.path("message").forEach(part -> assertThat(e.getMessage()).contains(part.asText()));
            return;
        }
        RoutePlan plan = planner.plan(request, key(c.path("key")));
        List<String> route = new ArrayList<>();
        expect.get("route").forEach(id -> route.add(id.asText()));
        assertThat(plan.models()).extracting(m -> m.id()).containsExactlyElementsOf(route);
        if (expect.has("reason")) {
            assertThat(plan.autoReason()).isEqualTo(expect.get("reason").isNull() ? null : expect.get("reason").asText());
        }
        if (expect.has("hold_of")) {
            Routed dearest = plan.route().stream().filter(r -> r.model().id().equals(expect.get("hold_of").asText()))
                    .findFirst().orElseThrow();
            assertThat(plan.hold()).isEqualTo(dearest.hold());
        }
        if (expect.has("unaffordable")) {
            assertThat(plan.unaffordable()).contains(expect.get("unaffordable").asText());
            ApiException explained = plan.explain(new ApiException(ErrorCode.INSUFFICIENT_QUOTA, "Insufficient balance."));
            assertThat(explained.getMessage()).startsWith("The cheapest model auto routing can choose for this request is "
                    + expect.get("unaffordable").asText() + ".").endsWith("Insufficient balance.");
        } else {
            assertThat(plan.unaffordable()).isNull();
        }
        if (!request.wantsAuto()) {
            assertThat(balanceReads).as("only auto routing asks what the caller can spend").hasValue(0);
        }
    }

    @Test
    void aFreeChoiceReadsNoBalance() {
        AtomicInteger reads = new AtomicInteger();
        RoutePlanner planner = new RoutePlanner(new ModelResolver(CATALOG), new ChatAdmission(TOKENS), TOKENS, key -> {
            reads.incrementAndGet();
            return Money.ZERO;
        });
        RoutePlan plan = planner.plan(request(JSON.createObjectNode().set("messages", JSON.createArrayNode().add(
                JSON.createObjectNode().put("role", "user").put("content", "Write a Python function that adds two numbers.")))),
                key(JSON.missingNode()));
        assertThat(plan.primary().id()).isEqualTo("qwen/qwen3-coder:free");
        assertThat(reads).hasValue(0);
    }

    @Test
    void aFreeModelWhoseDailyQuotaIsUsedUpIsPassedOverLikeOneTheCallerCannotAfford() throws IOException {
        Catalog catalog = CatalogLoader.parse(new java.io.ByteArrayInputStream("""
                {"models": [
                  {"id": "free-coder", "upstream": "u", "context_length": 8192, "max_output_tokens": 1024,
                   "pricing": {"input_per_million_usd": "0", "output_per_million_usd": "0"}, "capabilities": ["chat"],
                   "daily_token_quota": 1000},
                  {"id": "paid-coder", "upstream": "u", "context_length": 8192, "max_output_tokens": 1024,
                   "pricing": {"input_per_million_usd": "1", "output_per_million_usd": "2"}, "capabilities": ["chat"]}],
                 "auto": {"rules": [{"when": "always", "category": "code"}],
                          "categories": {"code": {"prefer": ["free-coder", "paid-coder"]}}}}
                """.getBytes(StandardCharsets.UTF_8)));
        ChatRequest request = request(JSON.createObjectNode().set("messages", JSON.createArrayNode().add(
                JSON.createObjectNode().put("role", "user").put("content", "Hello"))));
        ModelResolver resolver = new ModelResolver(catalog);

        RoutePlan withQuota = new RoutePlanner(resolver, new ChatAdmission(TOKENS), TOKENS, key -> Money.parseDollars("1"),
                (key, model) -> true).plan(request, key(JSON.missingNode()));
        RoutePlan quotaUsed = new RoutePlanner(resolver, new ChatAdmission(TOKENS), TOKENS, key -> Money.parseDollars("1"),
                (key, model) -> !model.id().equals("free-coder")).plan(request, key(JSON.missingNode()));
        RoutePlan quotaUsedAndNoMoney = new RoutePlanner(resolver, new ChatAdmission(TOKENS), TOKENS, key -> Money.ZERO,
                (key, model) -> !model.id().equals("free-coder")).plan(request, key(JSON.missingNode()));

        assertThat(withQuota.autoReason()).isEqualTo("auto: code -> free-coder");
        assertThat(quotaUsed.autoReason()).isEqualTo("auto: code -> paid-coder");
        assertThat(quotaUsedAndNoMoney.primary().id()).as("then the free model's own 429 answers").isEqualTo("free-coder");
        assertThat(quotaUsedAndNoMoney.unaffordable()).isNotNull();
    }

    private static ChatRequest request(JsonNode template) {
        ObjectNode body = (ObjectNode) expand(template.deepCopy());
        if (!body.has("model") && !body.has("models")) {
            body.put("model", "auto");
        }
        return ChatRequest.parse(body.toString().getBytes(StandardCharsets.UTF_8), JSON);
    }

    /** Replaces {@code {"$repeat": N, "text": "..."}} with the text repeated N times, anywhere in the tree. */
    private static JsonNode expand(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("$repeat")) {
                return new TextNode(object.get("text").asText().repeat(object.get("$repeat").asInt()));
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(expand(field.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, expand(array.get(i)));
            }
        }
        return node;
    }

    private static ApiKey key(JsonNode spec) {
        Set<String> allowed = new HashSet<>();
        spec.path("allowed_models").forEach(m -> allowed.add(m.asText()));
        return new ApiKey("key_1", "acct_1", "hash", "sk-tg-abc", "test", KeyRole.INFERENCE, null, Money.ZERO, allowed,
                null, false, null, Instant.EPOCH, null);
    }
}
