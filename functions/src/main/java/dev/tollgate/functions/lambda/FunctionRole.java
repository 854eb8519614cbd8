package dev.tollgate.functions.lambda;

/**
 * Which of Tollgate's Lambda functions a process is. All four run from the same jar; the entry point
 * registers its role as a bean and activates the Micronaut environment of the same name, so
 * {@code application-lambda-chat.yml} and {@code @Requires(env = ...)} can tell them apart.
 */
public enum FunctionRole {

    /** REST routes except chat and the webhook, through the API Gateway proxy handler, with SnapStart. */
    API("lambda-api"),
    /** POST /webhooks/stripe only, with its own least-privilege role. */
    STRIPE_WEBHOOK("lambda-stripe-webhook"),
    /** POST /v1/chat/completions: the Netty server behind Lambda Web Adapter, streaming responses. */
    CHAT("lambda-chat"),
    /** Scheduled every minute: releases expired holds. */
    RECONCILER("lambda-reconciler");

    private final String environment;

    FunctionRole(String environment) {
        this.environment = environment;
    }

    /** The Micronaut environment name this role activates. */
    public String environment() {
        return environment;
    }
}
