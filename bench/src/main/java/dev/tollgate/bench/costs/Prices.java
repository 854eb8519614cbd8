package dev.tollgate.bench.costs;

import java.util.List;

/**
 * The prices the model uses, us-east-1, read on {@link Price#READ_ON}. AWS's own pricing pages render their
 * figures with script, so their stored copies carry no numbers: where a figure comes from another page quoting
 * AWS's, the source says so.
 */
public final class Prices {

    public static final Price API_GATEWAY_REST = Price.of("API Gateway REST API calls", "3.50", "per million (first 333 M a month)",
            "AWS whitepaper \"Best Practices for Designing Amazon API Gateway Private APIs\", Cost optimization, Table 4 "
                    + "(docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html). "
                    + "A streamed response is billed as one call per 10 MB (AWS Compute Blog, 2025-11-19, as summarised at "
                    + "aws-news.com/article/2025-11-19-building-responsive-apis-with-amazon-api-gateway-response-streaming)");
    public static final Price LAMBDA_REQUESTS = Price.of("Lambda requests", "0.20", "per million",
            "git.mcrn.ar/mariano/lambda_local_runner docs/lambdas-md/lambda-13-cost.md (quotes aws.amazon.com/lambda/pricing)");
    public static final Price LAMBDA_ARM_GB_SECOND = Price.of("Lambda duration, arm64", "0.0000133334", "per GB-second (first 7.5 G GB-s a month)",
            "cloudchipr.com/blog/aws-lambda-pricing, \"based on the US East (N. Virginia) region\"");
    public static final Price LAMBDA_X86_GB_SECOND = Price.of("Lambda duration, x86_64", "0.0000166667", "per GB-second (first 6 G GB-s a month)",
            "cloudchipr.com/blog/aws-lambda-pricing");
    public static final Price DYNAMO_WRU = Price.of("DynamoDB on-demand write request units", "0.625", "per million",
            "airbyte.com/data-engineering-resources/dynamodb-pricing (after AWS's November 2024 reduction); unit rules: "
                    + "aws.amazon.com/dynamodb/pricing/on-demand/ (1 KB per standard write, 2 units per transactional write)");
    public static final Price DYNAMO_RRU = Price.of("DynamoDB on-demand read request units", "0.125", "per million",
            "airbyte.com/data-engineering-resources/dynamodb-pricing; unit rules: aws.amazon.com/dynamodb/pricing/on-demand/ "
                    + "(4 KB per strongly consistent read, half a unit eventually consistent)");
    public static final Price SECRETS_API = Price.of("Secrets Manager API calls", "0.05", "per 10,000",
            "hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms");
    public static final Price SECRETS_STORED = Price.of("Secrets Manager secrets", "0.40", "per secret-month",
            "hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms");
    public static final Price LOGS_INGESTED = Price.of("CloudWatch Logs ingestion, standard class", "0.50", "per GB",
            "duckbillgroup.com (Lambda logs' first tier, us-east-1); c3x.dev/blog/cloudwatch-logs-cost-optimization");
    public static final Price FARGATE_ARM_VCPU_HOUR = Price.of("Fargate Linux/ARM vCPU", "0.03238", "per vCPU-hour",
            "vantage.sh/blog/fargate-pricing (us-east-1)");
    public static final Price FARGATE_ARM_GB_HOUR = Price.of("Fargate Linux/ARM memory", "0.00356", "per GB-hour",
            "vantage.sh/blog/fargate-pricing (us-east-1)");
    public static final Price ALB_HOUR = Price.of("Application Load Balancer", "0.0225", "per ALB-hour",
            "cloud-horizons.com/blog/alb-the-line-item-nobody-watches/");
    public static final Price ALB_LCU_HOUR = Price.of("ALB capacity units (LCU)", "0.008", "per LCU-hour",
            "cloud-horizons.com/blog/alb-the-line-item-nobody-watches/ (an LCU: 25 new connections/s, 3,000 active "
                    + "connections/min, 1 GB processed/h or 1,000 rule evaluations/s, whichever is most)");
    public static final Price DATA_OUT = Price.of("Data transfer out to the internet", "0.09", "per GB (first 10 TB a month)",
            "apigatewaycost.com/aws; the same rate from API Gateway and from an ALB");

    public static final List<Price> ALL = List.of(API_GATEWAY_REST, LAMBDA_REQUESTS, LAMBDA_ARM_GB_SECOND,
            LAMBDA_X86_GB_SECOND, DYNAMO_WRU, DYNAMO_RRU, SECRETS_API, SECRETS_STORED, LOGS_INGESTED,
            FARGATE_ARM_VCPU_HOUR, FARGATE_ARM_GB_HOUR, ALB_HOUR, ALB_LCU_HOUR, DATA_OUT);

    private Prices() {
    }
}
