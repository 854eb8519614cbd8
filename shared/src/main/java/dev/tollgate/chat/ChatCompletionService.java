package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.DailyQuotaExceededException;
import dev.tollgate.billing.FreeQuota;
import dev.tollgate.billing.RequestBilling;
import dev.tollgate.billing.Reservation;
import dev.tollgate.billing.Settlement;
import dev.tollgate.billing.StreamSlots;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.Ids;
import dev.tollgate.metering.TokenCounter;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.metrics.Endpoint;
import dev.tollgate.money.Money;
import dev.tollgate.openai.ChatRequest;
import dev.tollgate.openai.SpendControls;
import dev.tollgate.upstream.JsonTrees;
import dev.tollgate.upstream.UpstreamStream;
import dev.tollgate.windows.WindowUsage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * POST /v1/chat/completions: validate → plan the route (named or auto-routed model, fallbacks, limits on each) →
 * hold → call upstream (with fallbacks) → meter → settle. Buffered responses are settled before they are returned;
 * streams settle when the relay ends, whichever way it ends.
 */
public final class ChatCompletionService {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChatCompletionService.class);

    private final RoutePlanner planner;
    private final UpstreamRouter router;
    private final TokenCounter tokens;
    private final RequestBilling billing;
    private final ObjectMapper json;
    private final StreamSettings streamSettings;
    private final Executor relayExecutor;
    private final ScheduledExecutorService timer;
    private final ActiveStreams streams;
    private final Clock clock;
    private final StreamSlots slots;
    private final FreeQuota quota;
    private final SpendAdmission admission;

    /**
     * @param relayExecutor runs one blocking relay loop per stream; must start a new (virtual) thread
     *                      per task, because a cancelled relay interrupts its thread
     */
    public ChatCompletionService(ModelResolver models, UpstreamRouter router, TokenCounter tokens,
                                 RequestBilling billing, ObjectMapper json, StreamSettings streamSettings,
                                 Executor relayExecutor, ScheduledExecutorService timer, ActiveStreams streams,
                                 Clock clock) {
        this(models, router, tokens, billing, json, streamSettings, relayExecutor, timer, streams, clock,
                StreamSlots.UNLIMITED, null);
    }

    /**
     * @param slots the per-account cap on open streams (across instances)
     * @param quota the daily token quotas of the catalog's models, or {@code null} for none
     */
    public ChatCompletionService(ModelResolver models, UpstreamRouter router, TokenCounter tokens,
                                 RequestBilling billing, ObjectMapper json, StreamSettings streamSettings,
                                 Executor relayExecutor, ScheduledExecutorService timer, ActiveStreams streams,
                                 Clock clock, StreamSlots slots, FreeQuota quota) {
        this(models, router, tokens, billing, json, streamSettings, relayExecutor, timer, streams, clock, slots, quota,
                RoutePlanner.DEFAULT_AFFORD_MINIMUM);
    }

    /** @param affordMinimum the least output bound per choice afford mode lowers a request to before refusing it */
    public ChatCompletionService(ModelResolver models, UpstreamRouter router, TokenCounter tokens,
                                 RequestBilling billing, ObjectMapper json, StreamSettings streamSettings,
                                 Executor relayExecutor, ScheduledExecutorService timer, ActiveStreams streams,
                                 Clock clock, StreamSlots slots, FreeQuota quota, int affordMinimum) {
        this.router = router;
        this.tokens = tokens;
        this.planner = new RoutePlanner(models, new ChatAdmission(tokens), tokens, SpendHeadroom.of(billing),
                this::withinQuota, affordMinimum);
        this.billing = billing;
        this.json = json;
        this.streamSettings = streamSettings;
        this.relayExecutor = relayExecutor;
        this.timer = timer;
        this.streams = streams;
        this.clock = clock;
        this.slots = slots;
        this.quota = quota;
        this.admission = new SpendAdmission(planner, billing, quota);
    }

    public ChatOutcome complete(ApiKey caller, byte[] body) {
        return complete(caller, body, null);
    }

    /**
     * @param hardDeadline when the process serving this request will be stopped (a Lambda invocation's deadline),
     *                     or {@code null}; a stream ends early enough before it to settle
     */
    public ChatOutcome complete(ApiKey caller, byte[] body, Instant hardDeadline) {
        return complete(caller, body, hardDeadline, SpendControls.Headers.NONE, Endpoint.CHAT, null);
    }

    /**
     * @param headers   the spend controls the caller sent as headers (cost ceiling, afford mode)
     * @param endpoint  the public endpoint the request came in on (the metrics' {@code endpoint} tag)
     * @param requestId the id to bill the request under, or {@code null} for a new one: an {@code Idempotency-Key}
     *                  ties all attempts of one request to one id, so billing's one hold per id stops a second charge
     */
    public ChatOutcome complete(ApiKey caller, byte[] body, Instant hardDeadline, SpendControls.Headers headers,
                                Endpoint endpoint, String requestId) {
        Instant arrival = clock.instant();
        ChatRequest request = ChatRequest.parse(body, json);
        SpendControls controls = request.spendControls(headers);
        RoutePlan planned = admission.plan(caller, request, controls, arrival);
        if (requestId == null) {
            requestId = Ids.requestId(arrival);
        }
        if (!request.stream()) {
            SpendAdmission.Admitted admitted = admission.hold(caller, request, controls, planned, requestId, arrival,
                    false);
            RoutePlan route = admitted.route();
            Reservation reservation = admitted.reservation().withEndpoint(endpoint);
            try {
                return buffered(request, route, reservation);
            } catch (RuntimeException e) {
                releaseUnused(reservation, route.primary());
                throw ApiException.withRequestId(e, requestId);
            }
        }
        Instant deadline = deadline(arrival, hardDeadline);
        // A slot among the account's open streams, leased until the stream must have settled.
        StreamSlots.Slot slot = slots.acquire(caller.accountId(), requestId, arrival,
                deadline.plus(streamSettings.settleMargin()));
        SpendAdmission.Admitted admitted = null;
        try {
            admitted = admission.hold(caller, request, controls, planned, requestId, arrival, true);
            return stream(request, admitted.route(), admitted.reservation().withEndpoint(endpoint), deadline, slot);
        } catch (RuntimeException e) {
            slots.release(slot.accountId(), slot.requestId());
            if (admitted == null) {
                throw e;
            }
            releaseUnused(admitted.reservation(), admitted.route().primary());
            throw ApiException.withRequestId(e, requestId);
        }
    }

    /**
     * The prompt tokens the hold would count for this request on its model, as Tollgate estimates them before any
     * upstream answers (Anthropic's count_tokens). Validates, routes and admits like a completion; charges nothing.
     */
    public int promptTokens(ApiKey caller, byte[] body) {
        ChatRequest request = ChatRequest.parse(body, json);
        RoutePlan route = planner.plan(request, caller);
        return route.limits(route.primary()).promptTokens();
    }

    /**
     * A dry run ({@code ?dry_run=true}): the request validated, routed, admitted and (in afford mode) clamped exactly
     * as it would be, and the limits it would meet read, but no upstream call, no hold, no ledger entry, and no
     * spend-window or per-minute counter touched. A request over its cost ceiling is quoted with that refusal.
     */
    public Quote quote(ApiKey caller, byte[] body, SpendControls.Headers headers) {
        ChatRequest request = ChatRequest.parse(body, json);
        return admission.quote(caller, request, request.spendControls(headers));
    }

    /** Whether the account may still use a model with a daily token quota today (auto routing passes over it if not). */
    private boolean withinQuota(ApiKey caller, ModelEntry model) {
        if (quota == null) {
            return true;
        }
        try {
            quota.check(caller.accountId(), model.id(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
            return true;
        } catch (DailyQuotaExceededException e) {
            return false;
        }
    }

    private ChatOutcome buffered(ChatRequest request, RoutePlan route, Reservation reservation) {
        UpstreamRouter.Answer<byte[]> answer = router.call(route.models(), "chat", m -> route.limits(m).outputBound(),
                (provider, m) -> {
                    byte[] body = provider.chat(ChatWire.toUpstream(request, m, route.limits(m)));
                    return ReasoningInContent.wanted(request) ? ReasoningInContent.buffered(body) : body;
                });
        try {
            return buffered(request, route, reservation, answer);
        } catch (RuntimeException e) {
            answer.span().failed(e instanceof ApiException api ? api.code().name().toLowerCase() : e.getClass().getName());
            throw e;
        }
    }

    private ChatOutcome buffered(ChatRequest request, RoutePlan route, Reservation reservation,
                                 UpstreamRouter.Answer<byte[]> answer) {
        ModelEntry served = answer.model();
        RouteDecision decision = RouteDecision.of(served.id(), route.autoReason(), answer.failures(),
                route.clampedMaxTokens(served));
        reservation = reservation.withRoute(decision.reason());
        ChatLimits limits = route.limits(served);
        ObjectNode response = parseResponse(answer.value(), served);
        cutToBound(response, limits, new RelayMeter(tokens, billing, reservation, served));
        TokenUsage usage = response.path("usage").has("completion_tokens") ? TokenUsage.fromOpenAi(response.get("usage")) : null;
        if (usage == null) {
            usage = new TokenUsage(limits.promptTokens(),
                    tokens.count(served.tokenizer(), ChatWire.completionText(response)), 0, 0, true);
        }
        // An upstream that ignored max_tokens is not paid beyond the bound the hold was sized on.
        usage = usage.atMost(served.contextLength(), limits.outputBound());
        Settlement settlement = billing.settle(reservation, served.id(), served.pricing(), usage, "ok");
        answer.span().answered(SpanAnswers.buffered(response, usage));
        response.put("model", served.id());
        ChatWire.putUsage(response, usage, settlement, reservation.requestId());
        return new ChatOutcome.Buffered(reservation.requestId(), JsonTrees.bytes(response),
                settlement, decision, ReasoningSwitch.forcedOff(served.policy(), false) ? ReasoningSwitch.OFF_NEEDS_STREAM : null);
    }

    private ChatOutcome stream(ChatRequest request, RoutePlan route, Reservation reservation, Instant deadline,
                               StreamSlots.Slot slot) {
        UpstreamRouter.Answer<UpstreamStream> answer = router.call(route.models(), "chat",
                m -> route.limits(m).outputBound(),
                (provider, m) -> {
                    UpstreamStream upstream = provider.stream(ChatWire.toUpstream(request, m, route.limits(m)));
                    return ReasoningInContent.wanted(request) ? ReasoningInContent.stream(upstream) : upstream;
                });
        ModelEntry served = answer.model();
        RouteDecision decision = RouteDecision.of(served.id(), route.autoReason(), answer.failures(),
                route.clampedMaxTokens(served));
        reservation = reservation.withRoute(decision.reason());
        ChatLimits limits = route.limits(served);
        StreamRelay.Job job = new StreamRelay.Job(served.id(), reservation.requestId(), request.wantsUsageChunk(),
                limits.promptTokens(), limits.outputBound(), served.contextLength());
        long deadlineNanos = System.nanoTime() + Duration.between(clock.instant(), deadline).toNanos();
        StreamRelay.Timing timing = new StreamRelay.Timing(streamSettings.keepAlive(), router.idleTimeout(served),
                streamSettings.progressEvery(), deadlineNanos);
        Money balance = balanceHeader(reservation);
        StreamRelay relay = new StreamRelay(answer.value(), json, job,
                new RelayMeter(tokens, billing, reservation, served, answer.span()),
                timing, relayExecutor, timer, ended -> {
                    streams.remove(ended);
                    slots.release(slot.accountId(), slot.requestId());
                });
        List<WindowUsage> windows = billing.windowsFor(reservation);
        streams.add(relay); // from here the relay owns the upstream and the settlement, whatever happens
        return new ChatOutcome.Streaming(reservation.requestId(), relay, balance, windows, decision);
    }

    /** The balance for a stream's headers, best effort: a failed read costs the header, not the stream. */
    private Money balanceHeader(Reservation reservation) {
        try {
            return billing.balanceFor(reservation);
        } catch (RuntimeException e) {
            LOG.warn("request {}: balance for the headers could not be read: {}", reservation.requestId(), e.toString());
            return null;
        }
    }

    /**
     * An answer longer than the output bound (an upstream that ignored {@code max_tokens}) is cut to it, choice by
     * choice, and the choices cut say {@code finish_reason: "length"}: the caller gets what the hold paid for.
     */
    private static void cutToBound(ObjectNode response, ChatLimits limits, StreamRelay.Metering meter) {
        OutputBudget budget = new OutputBudget(limits.outputBound(), meter);
        for (JsonNode choice : response.path("choices")) {
            int before = budget.cuts();
            budget.take(choice.path("message"));
            if (budget.cuts() > before && choice instanceof ObjectNode c) {
                c.put("finish_reason", "length");
            }
        }
    }

    /** From the request's arrival, not from the relay's start; never later than the settle margin before a hard end. */
    private Instant deadline(Instant arrival, Instant hardDeadline) {
        Instant byDuration = arrival.plus(streamSettings.maxDuration());
        if (hardDeadline == null) {
            return byDuration;
        }
        Instant beforeHardEnd = hardDeadline.minus(streamSettings.settleMargin());
        return beforeHardEnd.isBefore(byDuration) ? beforeHardEnd : byDuration;
    }

    /** The upstream's answer, only if it is a well-formed chat completion: anything else is a 502 and charges nothing. */
    private ObjectNode parseResponse(byte[] body, ModelEntry served) {
        String problem;
        try {
            JsonNode node = json.readTree(body);
            problem = node == null ? "an empty body" : ChunkShape.completionProblem(node);
            if (problem == null) {
                return (ObjectNode) node;
            }
        } catch (IOException e) {
            problem = "a body that is not JSON";
        }
        throw new ApiException(ErrorCode.UPSTREAM_FAILED, "The upstream for model " + served.id() + " answered with "
                + problem + " instead of a chat completion; nothing was charged. Retry later or use another model.");
    }

    private void releaseUnused(Reservation reservation, ModelEntry model) {
        // Nothing reached the caller: the upstream failed before the first byte. No charge.
        billing.settle(reservation, model.id(), model.pricing(), TokenUsage.NONE, "upstream_error");
    }
}
