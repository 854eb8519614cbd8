package dev.tollgate.bench.costs;

import static dev.tollgate.bench.costs.Assumptions.*;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The formulas of docs/COSTS.md, in dollars (BigDecimal, never rounded until printed). Each method's comment is
 * its formula as the document states it.
 */
public final class CostModel {

    static final MathContext MC = MathContext.DECIMAL64;
    static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    static final BigDecimal GB = BigDecimal.valueOf(1_000_000_000);
    static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    static final BigDecimal HOUR = BigDecimal.valueOf(3600);
    /** A streamed response is one API Gateway call per started 10 MB. */
    static final long STREAM_BILLING_BYTES = 10L * 1024 * 1024;

    private CostModel() {
    }

    /** Upstream time: first token, then completion tokens at the upstream's speed; 0 for embeddings. */
    public static BigDecimal upstreamSeconds(Shape s) {
        if (s.kind() == Shape.Kind.EMBEDDINGS) {
            return BigDecimal.ZERO;
        }
        return FIRST_TOKEN_SECONDS.add(BigDecimal.valueOf(s.completionTokens()).divide(s.tokensPerSecond(), MC));
    }

    /** Lambda's billed seconds: the upstream time plus the gateway's own (an embedding: its model run). */
    public static BigDecimal lambdaSeconds(Shape s) {
        BigDecimal own = s.kind() == Shape.Kind.EMBEDDINGS ? EMBEDDING_MS : GATEWAY_MS;
        return upstreamSeconds(s).add(own.divide(THOUSAND, MC));
    }

    /** The function's memory in GB: chat for chat, api (2,048 MB) for embeddings. */
    public static BigDecimal lambdaGb(Shape s) {
        int mb = s.kind() == Shape.Kind.EMBEDDINGS ? API_MEMORY_MB : CHAT_MEMORY_MB;
        return BigDecimal.valueOf(mb).divide(BigDecimal.valueOf(1024), MC);
    }

    /** A stream records its progress once per second while text arrives: floor(completion / speed). */
    public static int progressRecords(Shape s) {
        if (!s.streamed()) {
            return 0;
        }
        return BigDecimal.valueOf(s.completionTokens()).divide(s.tokensPerSecond(), 0, RoundingMode.FLOOR).intValue();
    }

    /**
     * Write request units: the measured footprint of the kind, plus 2 per progress record. A free request is
     * charged its ledger entry (3 WRU) and a whole usage counter update (1 WRU), the worst case of a request alone in
     * its instance's second.
     */
    public static BigDecimal wru(Shape s) {
        return switch (s.kind()) {
            case PAID_BUFFERED -> Footprint.PAID_CHAT.wru();
            case PAID_STREAMED -> Footprint.PAID_STREAM.wru()
                    .add(Footprint.WRU_PER_PROGRESS_RECORD.multiply(BigDecimal.valueOf(progressRecords(s))));
            case FREE_BUFFERED -> BigDecimal.ONE.add(Footprint.WRU_PER_FREE_LOG_ENTRY);
            case EMBEDDINGS -> Footprint.EMBEDDINGS.wru();
        };
    }

    /** Read request units: measured; a free request is charged one account read (its 1 s cache's worst case). */
    public static BigDecimal rru(Shape s) {
        return switch (s.kind()) {
            case PAID_BUFFERED -> Footprint.PAID_CHAT.rru();
            case PAID_STREAMED -> Footprint.PAID_STREAM.rru();
            case FREE_BUFFERED -> BigDecimal.ONE;
            case EMBEDDINGS -> Footprint.EMBEDDINGS.rru();
        };
    }

    public static BigDecimal requestBytes(Shape s) {
        return BigDecimal.valueOf((long) s.promptTokens() * REQUEST_BYTES_PER_TOKEN + REQUEST_ENVELOPE_BYTES);
    }

    /** Response bytes: per token (an SSE chunk each when streamed) plus the envelope; an embedding: 384 floats as JSON. */
    public static BigDecimal responseBytes(Shape s) {
        if (s.kind() == Shape.Kind.EMBEDDINGS) {
            return BigDecimal.valueOf(384L * 10 + RESPONSE_ENVELOPE_BYTES);
        }
        int perToken = s.streamed() ? STREAMED_BYTES_PER_TOKEN : BUFFERED_BYTES_PER_TOKEN;
        return BigDecimal.valueOf((long) s.completionTokens() * perToken + RESPONSE_ENVELOPE_BYTES);
    }

    /** One Lambda request's cost, by line. */
    public record LambdaCost(BigDecimal apiGateway, BigDecimal requests, BigDecimal duration, BigDecimal dynamo,
                             BigDecimal logs, BigDecimal secrets, BigDecimal dataOut) {
        public BigDecimal total() {
            return apiGateway.add(requests).add(duration).add(dynamo).add(logs).add(secrets).add(dataOut);
        }
    }

    /**
     * API Gateway: ceil(response / 10 MB) calls × its price; Lambda: 1 request, GB × seconds × the arm64 price;
     * DynamoDB: WRU and RRU × their prices; logs: bytes × the ingestion price; Secrets Manager: instance starts
     * per request × 1 GetSecretValue; data out: response bytes × its price.
     */
    public static LambdaCost lambda(Shape s) {
        long calls = Math.max(1, Math.ceilDiv(responseBytes(s).longValue(), STREAM_BILLING_BYTES));
        return new LambdaCost(
                perMillion(Prices.API_GATEWAY_REST).multiply(BigDecimal.valueOf(calls)),
                perMillion(Prices.LAMBDA_REQUESTS),
                lambdaGb(s).multiply(lambdaSeconds(s)).multiply(Prices.LAMBDA_ARM_GB_SECOND.usd()),
                dynamo(s),
                bytes(BigDecimal.valueOf(LAMBDA_LOG_BYTES), Prices.LOGS_INGESTED),
                INSTANCE_STARTS_PER_REQUEST.multiply(Prices.SECRETS_API.usd()).divide(BigDecimal.valueOf(10_000), MC),
                bytes(responseBytes(s), Prices.DATA_OUT));
    }

    public static BigDecimal dynamo(Shape s) {
        return wru(s).multiply(perMillion(Prices.DYNAMO_WRU)).add(rru(s).multiply(perMillion(Prices.DYNAMO_RRU)));
    }

    /**
     * Gateway CPU seconds per request on a task: the request, plus one event per token when streamed; an embedding
     * is its model run.
     */
    public static BigDecimal cpuSeconds(Shape s, BigDecimal cpuMsPerEvent) {
        BigDecimal ms = s.kind() == Shape.Kind.EMBEDDINGS ? EMBEDDING_MS : CPU_MS_PER_REQUEST;
        if (s.streamed()) {
            ms = ms.add(cpuMsPerEvent.multiply(BigDecimal.valueOf(s.completionTokens())));
        }
        return ms.divide(THOUSAND, MC);
    }

    /** Tasks for {@code rate} requests/s: max(MIN_TASKS, ceil(rate × CPU seconds / (vCPU × target utilisation))). */
    public static int tasks(Shape s, BigDecimal rate, BigDecimal cpuMsPerEvent) {
        BigDecimal busy = rate.multiply(cpuSeconds(s, cpuMsPerEvent)).divide(TASK_VCPU.multiply(TARGET_CPU), MC);
        return Math.max(MIN_TASKS, busy.setScale(0, RoundingMode.CEILING).intValue());
    }

    /**
     * ALB capacity units: the most of new connections/s ÷ 25 (one per request), concurrent connections ÷ 3,000
     * (rate × duration), and GB processed per hour (request and response bytes).
     */
    public static BigDecimal lcu(Shape s, BigDecimal rate) {
        BigDecimal connections = rate.divide(BigDecimal.valueOf(25), MC);
        BigDecimal active = rate.multiply(lambdaSeconds(s)).divide(BigDecimal.valueOf(3000), MC);
        BigDecimal gbPerHour = rate.multiply(HOUR).multiply(requestBytes(s).add(responseBytes(s))).divide(GB, MC);
        return connections.max(active).max(gbPerHour);
    }

    /** Fargate's cost per hour at {@code rate}: tasks × (vCPU + GB prices) + the ALB's hour and its LCUs. */
    public static BigDecimal fargateHourly(Shape s, BigDecimal rate, BigDecimal cpuMsPerEvent) {
        BigDecimal task = TASK_VCPU.multiply(Prices.FARGATE_ARM_VCPU_HOUR.usd())
                .add(TASK_GB.multiply(Prices.FARGATE_ARM_GB_HOUR.usd()));
        return task.multiply(BigDecimal.valueOf(tasks(s, rate, cpuMsPerEvent))).add(Prices.ALB_HOUR.usd())
                .add(lcu(s, rate).multiply(Prices.ALB_LCU_HOUR.usd()));
    }

    /** One request on Fargate at {@code rate}: its share of the hour, plus DynamoDB, logs and data out. */
    public static BigDecimal fargate(Shape s, BigDecimal rate, BigDecimal cpuMsPerEvent) {
        BigDecimal share = fargateHourly(s, rate, cpuMsPerEvent).divide(rate.multiply(HOUR), MC);
        return share.add(dynamo(s)).add(bytes(BigDecimal.valueOf(FARGATE_LOG_BYTES), Prices.LOGS_INGESTED))
                .add(bytes(responseBytes(s), Prices.DATA_OUT));
    }

    /**
     * The lowest sustained rate (requests/s, to 3 significant digits) from which Fargate costs less per request
     * than Lambda, or null if it never does below 100,000 requests/s.
     */
    public static BigDecimal crossover(Shape s, BigDecimal cpuMsPerEvent) {
        BigDecimal lambda = lambda(s).total();
        BigDecimal low = new BigDecimal("0.0001");
        BigDecimal high = low;
        while (fargate(s, high, cpuMsPerEvent).compareTo(lambda) > 0) {
            low = high;
            high = high.multiply(BigDecimal.valueOf(2));
            if (high.compareTo(BigDecimal.valueOf(100_000)) > 0) {
                return null;
            }
        }
        for (int i = 0; i < 60; i++) {
            BigDecimal mid = low.add(high).divide(BigDecimal.valueOf(2), MC);
            if (fargate(s, mid, cpuMsPerEvent).compareTo(lambda) > 0) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high.round(new MathContext(3, RoundingMode.CEILING));
    }

    static BigDecimal perMillion(Price price) {
        return price.usd().divide(MILLION, MC);
    }

    static BigDecimal bytes(BigDecimal bytes, Price perGb) {
        return bytes.multiply(perGb.usd()).divide(GB, MC);
    }
}
