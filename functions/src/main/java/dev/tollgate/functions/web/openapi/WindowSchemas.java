package dev.tollgate.functions.web.openapi;

import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * Spend windows as {@code GET /v1/key} and {@code GET /v1/usage} show them (KeyController, WindowJson): amounts in
 * credits (micro-dollars, 1,000,000 = $1, the unit of the X-RateLimit-*-Credits headers) and in dollars.
 */
public final class WindowSchemas {

    private WindowSchemas() {
    }

    @Schema(name = "KeyWithWindows", allOf = AccountSchemas.Key.class,
            description = "The calling key as stored, its account's plan, and every spend window that applies")
    public record KeyWithWindows(
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "pro",
                    description = "The account's plan in force (its own or tollgate.default-plan); null: none")
            String plan,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Each window of the plan and of the key")
            List<WindowUse> windows,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Per window name, the tightest of plan and key "
                    + "(by what is left): the numbers of the credit headers")
            Map<String, Credits> credits) {
    }

    @Schema(name = "WindowLimit", description = "A spend window's limit")
    public record Limit(
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string",
                    allowableValues = {"session", "daily", "weekly", "monthly"},
                    description = "session: 5 hours from the first paid request in it; daily: the UTC day; weekly: "
                            + "Monday 00:00 UTC to Monday; monthly: the UTC calendar month") String window,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10.000000") String limitUsd) {
    }

    @Schema(name = "WindowUse")
    public record WindowUse(
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string",
                    allowableValues = {"session", "daily", "weekly", "monthly"}) String window,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", allowableValues = {"plan", "key"},
                    description = "plan: counts the whole account; key: this key alone") String scope,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10.000000") String limitUsd,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10000000") long limitCredits,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "1250000",
                    description = "Open holds included") long usedCredits,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "8750000") long remainingCredits,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time", example = "2026-04-03T10:00:00Z",
                    description = "Rounded up to the second; a session with nothing open shows the reset a session "
                            + "starting now would have") String reset) {
    }

    @Schema(name = "WindowCredits")
    public record Credits(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "10000000") long limitCredits,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "8750000") long remainingCredits,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String reset) {
    }
}
