package dev.tollgate.functions.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.tollgate.accounts.AccountStore;
import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.embeddings.InProcessModels;
import dev.tollgate.functions.web.ModelsController;
import dev.tollgate.metering.TokenCounter;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.crac.OrderedResource;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming: before Lambda takes the snapshot of a SnapStart function ({@code api},
 * {@code stripe-webhook}), does the expensive first-time work so that every restored instance starts
 * with it done: the catalog and the rendered model list, the tokenizer's vocabularies, the in-process
 * embedding models (ONNX session and HuggingFace tokenizer, the slowest part by far), the DynamoDB client
 * (one read of an account that does not exist, which loads the SDK's marshalling, signing and HTTP
 * classes), and one unauthenticated request through the proxy handler (routing, filters, JSON, the error
 * envelope; answered 401 or 404 before any data is read).
 *
 * <p>What it leaves alone on purpose: the beans that build a client from a secret (Stripe, upstreams),
 * which are created on first use, after the restore, when {@code SecretsRestoreHook} has read the
 * secrets again. Each step is best-effort: priming never fails the snapshot.
 *
 * <p>The connection the DynamoDB read opens is not reused after a restore: the JDK drops idle
 * keep-alive connections older than 5 s, and the restore comes much later.
 */
@Singleton
@Requires(bean = FunctionRole.class)
public class SnapStartPriming implements OrderedResource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

    private final ApplicationContext context;
    private final FunctionRole role;
    private volatile Report last = new Report(Map.of(), List.of());

    public SnapStartPriming(ApplicationContext context, FunctionRole role) {
        this.context = context;
        this.role = role;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> crac) {
        last = switch (role) {
            case API -> prime(true);
            case STRIPE_WEBHOOK -> prime(false);
            case CHAT, RECONCILER -> new Report(Map.of(), List.of()); // no SnapStart for these (docs/DEPLOY.md)
        };
        if (!last.millis().isEmpty()) {
            LOG.info("SnapStart priming of {} done: {} (ms), failed: {}", role, last.millis(), last.failed());
        }
    }

    /** What the last checkpoint primed, and how long each step took. */
    public Report lastReport() {
        return last;
    }

    /** Steps in order with their duration; {@code failed} names the ones that threw (and were skipped). */
    public record Report(Map<String, Long> millis, List<String> failed) {
    }

    @Override
    public void afterRestore(Context<? extends Resource> crac) {
        // nothing: restored instances keep what priming loaded
    }

    private Report prime(boolean api) {
        Map<String, Long> millis = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        if (api) {
            step(millis, failed, "catalog", () -> context.getBean(Catalog.class));
            step(millis, failed, "tokenizer", this::loadVocabularies);
            step(millis, failed, "embeddings", () -> context.findBean(InProcessModels.class).ifPresent(InProcessModels::preload));
        }
        step(millis, failed, "dynamodb", () -> {
            context.findBean(ColdStartWarmup.class).ifPresent(ColdStartWarmup::await);
            context.getBean(AccountStore.class).find("snapstart-priming");
        });
        if (api) {
            step(millis, failed, "models", () -> context.getBean(ModelsController.class));
        }
        step(millis, failed, "http", () -> request(api ? "/v1/models" : "/snapstart-priming"));
        return new Report(Collections.unmodifiableMap(millis), List.copyOf(failed));
    }

    private void loadVocabularies() {
        TokenCounter tokens = context.getBean(TokenCounter.class);
        context.getBean(Catalog.class).models().stream().map(ModelEntry::tokenizer).filter(Objects::nonNull)
                .distinct().forEach(encoding -> tokens.count(encoding, "Tollgate warms its tokenizer."));
    }

    /** A request without credentials through the function itself: answered 401 or 404, touching no data. */
    private void request(String path) {
        ApiGatewayProxyRequestEventFunction function = context.getBean(ApiGatewayProxyRequestEventFunction.class);
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod("GET").withPath(path).withResource(path)
                .withHeaders(Map.of("Accept", "application/json", "User-Agent", "tollgate-snapstart-priming"));
        function.handleRequest(event, null);
    }

    private static void step(Map<String, Long> millis, List<String> failed, String name, Runnable work) {
        long started = System.nanoTime();
        try {
            work.run();
        } catch (RuntimeException e) {
            failed.add(name);
            LOG.warn("SnapStart priming step '{}' failed, continuing without it: {}", name, e.toString());
        }
        millis.put(name, (System.nanoTime() - started) / 1_000_000);
    }

    /** Last among the CRaC resources before a checkpoint (they run in reverse order), after the others settled. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 200;
    }
}
