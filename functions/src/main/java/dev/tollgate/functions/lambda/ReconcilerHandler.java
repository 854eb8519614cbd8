package dev.tollgate.functions.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tollgate.billing.HoldReconciler;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Handler of the {@code reconciler} function, invoked by an EventBridge schedule every minute: releases
 * the holds of requests that never settled (function killed, timeout), see {@link HoldReconciler}.
 *
 * <p>The event is taken as a plain map: the schedule's payload carries nothing the reconciler needs,
 * and a map avoids the events library's Joda-Time types. A failure is thrown, so it counts in the
 * function's {@code Errors} metric (the reconciler-failure alarm); each run also writes a
 * {@code ReleasedHolds} metric ({@link EmfMetrics}), whose sum feeds the reconciler-backlog alarm: many
 * released holds mean chat functions are dying mid-request.
 */
public class ReconcilerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final HoldReconciler reconciler;
    private final EmfMetrics metrics;
    private final Clock clock;
    private final dev.tollgate.operator.OperatorService operator;
    /** Alerts and auto top-ups are built on their first run, not with the handler. */
    private final ApplicationContext beans;

    public ReconcilerHandler() {
        this(LambdaContexts.forHandler(FunctionRole.RECONCILER, System.getenv()).start(),
                EmfMetrics.toStdout(System.getenv("AWS_LAMBDA_FUNCTION_NAME")));
    }

    /** For tests: any started context with the Tollgate beans, and where metric records go. */
    public ReconcilerHandler(ApplicationContext context, EmfMetrics metrics) {
        this.reconciler = context.getBean(HoldReconciler.class);
        this.clock = context.getBean(Clock.class);
        this.operator = context.getBean(dev.tollgate.operator.OperatorService.class);
        this.beans = context;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long started = clock.millis();
        int released = reconciler.releaseExpired();
        long took = clock.millis() - started;
        try {
            operator.recordReconcilerRun(released); // the operator console's health page shows the last run
        } catch (RuntimeException e) {
            System.err.println("could not record the reconciler run: " + e);
        }
        // Alert deliveries due for a retry, and auto top-ups claimed by the chat function (which may not call Stripe).
        int retried = 0;
        int toppedUp = 0;
        try {
            retried = beans.getBean(dev.tollgate.alerts.AlertDeliveries.class).runDue();
            toppedUp = beans.getBean(dev.tollgate.autotopup.AutoTopUps.class).runDue();
        } catch (RuntimeException e) {
            System.err.println("alert deliveries or auto top-ups could not be run: " + e);
        }
        metrics.emit(clock.millis(), Map.of("ReleasedHolds", released, "ReconcileMillis", took,
                "AlertDeliveriesRetried", retried, "AutoTopUpsStarted", toppedUp));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("released", released);
        result.put("millis", took);
        result.put("alert_deliveries", retried);
        result.put("auto_topups_started", toppedUp);
        return result;
    }
}
