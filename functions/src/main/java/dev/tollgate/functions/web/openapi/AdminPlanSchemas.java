package dev.tollgate.functions.web.openapi;

import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The operator's plan assignment, {@code GET|PUT /admin/accounts/{id}/plan} (AdminPlanController). */
public final class AdminPlanSchemas {

    private AdminPlanSchemas() {
    }

    @Schema(name = "PlanAssignment", description = "Only plan: other fields are refused (400)")
    public record Assignment(
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "pro",
                    description = "A configured plan (tollgate.plans); null: back to tollgate.default-plan")
            String plan) {
    }

    @Schema(name = "AccountPlan", description = "The plan in force")
    public record AccountPlan(
            @Schema(requiredMode = RequiredMode.REQUIRED) String accountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, example = "pro",
                    description = "The account's plan or tollgate.default-plan; null: no plan, so no plan windows")
            String plan,
            @Schema(description = "The plan's windows; absent when plan is null") List<WindowSchemas.Limit> windows) {
    }
}
