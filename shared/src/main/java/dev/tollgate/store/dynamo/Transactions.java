package dev.tollgate.store.dynamo;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Runs a write transaction, retrying when DynamoDB cancels it only because another transaction touched
 * the same item at the same moment ({@code TransactionConflict}): many requests against one balance
 * conflict often, and a retry is always safe because every item carries its own condition.
 */
final class Transactions {

    private static final int MAX_ATTEMPTS = 12;

    private Transactions() {
    }

    /** The outcome: {@code null} when it committed, otherwise the per-item cancellation reasons. */
    static List<CancellationReason> write(DynamoDbClient dynamo, List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                return null;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                boolean conditionFailed = reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
                if (conditionFailed || attempt >= MAX_ATTEMPTS) {
                    if (!conditionFailed) {
                        throw e;
                    }
                    return reasons;
                }
                pause(attempt);
            }
        }
    }

    static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons != null && index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** Jittered exponential backoff, a few milliseconds: conflicts clear as soon as the other write commits. */
    private static void pause(int attempt) {
        long bound = Math.min(50, 1L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a DynamoDB transaction", e);
        }
    }
}
