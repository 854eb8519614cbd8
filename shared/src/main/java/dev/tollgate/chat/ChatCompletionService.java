package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.tollgate.money.Money;
import dev.tollgate.openai.ChatRequest;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * POST /v1/chat/completions: validate → resolve model → admit (limits) → hold → call upstream (with fallbacks) →
 * meter → settle. Buffered responses are settled before they are returned; streams settle when the relay ends,
 * whichever way it ends.
 */
public final class ChatCompletionService {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChatCompletionService.class);

    private final ModelResolver models;
    private final UpstreamRouter router;
    private final TokenCounter tokens;
    private final ChatAdmission admission;
    private final RequestBilling billing;
    private final ObjectMapper json;
    private final StreamSettings streamSettings;
    private final Executor relayExecutor;
    private final ScheduledExecutorService timer;
    private final ActiveStreams streams;
    private final Clock clock;
    private final StreamSlots slots;
    private final FreeQuota quota;

    /** A model of the route with the limits the request runs under on it. */
    private record Routed(ModelEntry model, ChatLimits limits) {
    }

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
        this.models = models;
        this.router = router;
        this.tokens = tokens;
        this.admission = new ChatAdmission(tokens);
        this.billing = billing;
        this.json = json;
        this.streamSettings = streamSettings;
        this.relayExecutor = relayExecutor;
        this.timer = timer;
        this.streams = streams;
        this.clock = clock;
        this.slots = slots;
        this.quota = quota;
    }

    public ChatOutcome complete(ApiKey caller, byte[] body) {
        return complete(caller, body, null);
    }

    /**
     * @param hardDeadline when the process serving this request will be stopped (a Lambda invocation's deadline),
     *                     or {@code null}; a stream ends early enough before it to settle
     */
    public ChatOutcome complete(ApiKey caller, byte[] body, Instant hardDeadline) {
        Instant arrival = clock.instant();
        ChatRequest request = ChatRequest.parse(body, json);
        ModelEntry model = models.resolveChat(caller, request.model());
        if (quota != null) {
            quota.check(caller.accountId(), model.id(), LocalDate.ofInstant(arrival, ZoneOffset.UTC));
        }
        List<Routed> route = admit(request, caller, model);
        Money maxCost = route.stream()
                .map(r -> r.model().pricing().cost(r.limits().promptTokens(), r.limits().outputBound()))
                .max(Money::compareTo).orElseThrow();
        String requestId = Ids.newId("req");
        if (!request.stream()) {
            Reservation reservation = billing.reserve(caller, model.id(), requestId, maxCost, false);
            try {
                return buffered(request, route, reservation);
            } catch (RuntimeException e) {
                releaseUnused(reservation, model);
                throw ApiException.withRequestId(e, requestId);
            }
        }
        Instant deadline = deadline(arrival, hardDeadline);
        // A slot among the account's open streams, leased until the stream must have settled.
        StreamSlots.Slot slot = slots.acquire(caller.accountId(), requestId, arrival,
                deadline.plus(streamSettings.settleMargin()));
        Reservation reservation = null;
        try {
            reservation = billing.reserve(caller, model.id(), requestId, maxCost, true);
            return stream(request, route, reservation, deadline, slot);
        } catch (RuntimeException e) {
            slots.release(slot.accountId(), slot.requestId());
            if (reservation == null) {
                throw e;
            }
            releaseUnused(reservation, model);
            throw ApiException.withRequestId(e, requestId);
        }
    }

    /**
     * The model and its fallbacks the key may use, each with the limits the request runs under there. The
     * requested model's refusal (a field, a media part, too many choices) is the caller's answer; a fallback
     * that would refuse the request is left out of the route.
     */
    private List<Routed> admit(ChatRequest request, ApiKey caller, ModelEntry model) {
        List<Routed> route = new ArrayList<>();
        route.add(new Routed(model, admission.admit(request, model)));
        List<ModelEntry> candidates = models.route(model, caller);
        for (ModelEntry fallback : candidates.subList(1, candidates.size())) {
            try {
                route.add(new Routed(fallback, admission.admit(request, fallback)));
            } catch (ApiException e) {
                // This fallback cannot serve this request as sent: the others may.
            }
        }
        return route;
    }

    private ChatOutcome buffered(ChatRequest request, List<Routed> route, Reservation reservation) {
        UpstreamRouter.Answer<byte[]> answer = router.call(models(route),
                (provider, m) -> provider.chat(ChatWire.toUpstream(request, m, limits(route, m))));
        ModelEntry served = answer.model();
        ChatLimits limits = limits(route, served);
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
        response.put("model", served.id());
        ChatWire.putUsage(response, usage, settlement, reservation.requestId());
        return new ChatOutcome.Buffered(reservation.requestId(), response.toString().getBytes(StandardCharsets.UTF_8),
                settlement);
    }

    private ChatOutcome stream(ChatRequest request, List<Routed> route, Reservation reservation, Instant deadline,
                               StreamSlots.Slot slot) {
        UpstreamRouter.Answer<UpstreamStream> answer = router.call(models(route),
                (provider, m) -> provider.stream(ChatWire.toUpstream(request, m, limits(route, m))));
        ModelEntry served = answer.model();
        ChatLimits limits = limits(route, served);
        StreamRelay.Job job = new StreamRelay.Job(served.id(), reservation.requestId(), request.wantsUsageChunk(),
                limits.promptTokens(), limits.outputBound(), served.contextLength());
        long deadlineNanos = System.nanoTime() + Duration.between(clock.instant(), deadline).toNanos();
        StreamRelay.Timing timing = new StreamRelay.Timing(streamSettings.keepAlive(), router.idleTimeout(served),
                streamSettings.progressEvery(), deadlineNanos);
        Money balance = balanceHeader(reservation);
        StreamRelay relay = new StreamRelay(answer.value(), json, job, new RelayMeter(tokens, billing, reservation, served),
                timing, relayExecutor, timer, ended -> {
                    streams.remove(ended);
                    slots.release(slot.accountId(), slot.requestId());
                });
        streams.add(relay); // from here the relay owns the upstream and the settlement, whatever happens
        return new ChatOutcome.Streaming(reservation.requestId(), relay, balance);
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

    private static List<ModelEntry> models(List<Routed> route) {
        return route.stream().map(Routed::model).toList();
    }

    private static ChatLimits limits(List<Routed> route, ModelEntry model) {
        return route.stream().filter(r -> r.model().equals(model)).findFirst().orElseThrow().limits();
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
