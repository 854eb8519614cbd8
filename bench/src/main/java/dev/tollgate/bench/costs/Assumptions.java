package dev.tollgate.bench.costs;

import java.math.BigDecimal;

/**
 * Inputs that are not prices and were not measured by the DynamoDB test: each is a stated assumption, or taken
 * from the stack (infra) or the benchmarks (docs/PERFORMANCE.md, issue 20), as its comment says.
 */
public final class Assumptions {

    /** infra LambdaFunctions.CHAT_MEMORY_MB; the stack's default architecture is arm64. */
    public static final int CHAT_MEMORY_MB = 1024;
    /** infra LambdaFunctions.API_MEMORY_MB: embeddings run in the api function. */
    public static final int API_MEMORY_MB = 2048;
    /** Billed time besides waiting for the upstream: 3 DynamoDB calls in-region (~8 ms each) and the JVM's work. */
    public static final BigDecimal GATEWAY_MS = new BigDecimal("30");
    /** Upstream time to first token. */
    public static final BigDecimal FIRST_TOKEN_SECONDS = new BigDecimal("0.5");
    /** An in-process embedding of one ~24-token sentence, with its transaction (PERFORMANCE.md: ~200 sentences/s on 2 cores). */
    public static final BigDecimal EMBEDDING_MS = new BigDecimal("30");
    /** Tokens in one embeddings request (one sentence, as PERFORMANCE.md's corpus). */
    public static final int EMBEDDING_TOKENS = 24;

    /** Bytes of request body per prompt token, plus a fixed envelope. */
    public static final int REQUEST_BYTES_PER_TOKEN = 4;
    public static final int REQUEST_ENVELOPE_BYTES = 300;
    /** A buffered answer: ~4 bytes per token of text plus its JSON envelope. */
    public static final int BUFFERED_BYTES_PER_TOKEN = 4;
    public static final int RESPONSE_ENVELOPE_BYTES = 600;
    /** A streamed answer: one SSE chunk (~180 bytes of JSON) per token. */
    public static final int STREAMED_BYTES_PER_TOKEN = 180;

    /** Log lines per request on Lambda: START/END/REPORT (~350 B), API Gateway's access log (~350 B), one app line (~300 B). */
    public static final int LAMBDA_LOG_BYTES = 1000;
    /** On Fargate only the application's line (ALB access logs are off by default and would go to S3). */
    public static final int FARGATE_LOG_BYTES = 300;
    /** Lambda instance starts per request; each start of the chat function reads one secret (upstream keys). */
    public static final BigDecimal INSTANCE_STARTS_PER_REQUEST = new BigDecimal("0.01");
    /** Secrets the stack keeps (admin token, Stripe API key, webhook secret, upstream keys): a fixed monthly cost. */
    public static final int SECRETS = 4;

    /** The Fargate task: 1 vCPU, 2 GB, arm64; at least two (two availability zones); scaled at 60 % CPU. */
    public static final BigDecimal TASK_VCPU = BigDecimal.ONE;
    public static final BigDecimal TASK_GB = new BigDecimal("2");
    public static final int MIN_TASKS = 2;
    public static final BigDecimal TARGET_CPU = new BigDecimal("0.6");
    /**
     * Gateway CPU per paid request, ms: issue 20 measured 0.134–0.36 ms for a free buffered request as shipped;
     * a paid one adds three DynamoDB calls' SDK work.
     */
    public static final BigDecimal CPU_MS_PER_REQUEST = new BigDecimal("0.5");
    /**
     * Gateway CPU per streamed event (one per token), ms. Issue 20 estimated ~2.7 ms an event as shipped then (55 % of
     * a core during its sequential stream probe). Measured 2026-12-06 with bench/stream-cpu.sh, as shipped after the
     * stream-slot pool and burst writes: 0.70 ms per 22-event stream with 64 in flight, ~0.032 ms an event; at night,
     * once a burst of chunked events was one write again and a kept slot is extended in one write: 0.56 and 0.62 ms
     * in two runs, ~0.027 ms an event (docs/PERFORMANCE.md, "As shipped"). The target, 0.3 ms per 22-event
     * stream, is ~0.014 ms an event.
     */
    public static final BigDecimal CPU_MS_PER_EVENT_MEASURED = new BigDecimal("0.027");
    public static final BigDecimal CPU_MS_PER_EVENT_TARGET = new BigDecimal("0.014");
    private Assumptions() {
    }
}
