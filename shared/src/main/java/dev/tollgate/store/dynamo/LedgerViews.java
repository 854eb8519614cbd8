package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.Attr.num;
import static dev.tollgate.store.dynamo.Attr.str;

import dev.tollgate.ledger.LedgerType;
import dev.tollgate.ledger.Movement;
import dev.tollgate.ledger.MovementKind;
import dev.tollgate.ledger.RequestRecord;
import dev.tollgate.ledger.RequestStatus;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Ledger items as the request log and the statement read them. Attributes that older entries lack read as unknown
 * ({@code null}) rather than as a made-up value.
 */
final class LedgerViews {

    private LedgerViews() {
    }

    /** Whether the item is a request's own entry (not a reversal, a top-up, a refund...). */
    static boolean isRequest(Map<String, AttributeValue> item) {
        return item.containsKey("model") && !RequestStatus.REVERSED.equals(str(item, "status"));
    }

    static RequestRecord request(Map<String, AttributeValue> item) {
        String status = str(item, "status");
        TokenUsage usage = new TokenUsage(num(item, "promptTokens"), num(item, "completionTokens"),
                num(item, "reasoningTokens"), num(item, "cachedTokens"), Attr.flag(item, "usageCounted"),
                num(item, "cacheWriteTokens"));
        Money charged = Money.ofMicros(num(item, "amount")).negate();
        Money shortfall = Money.ofMicros(num(item, "shortfall"));
        return new RequestRecord(str(item, "entryId"), str(item, "accountId"), Instant.parse(str(item, "at")),
                str(item, "keyId"), str(item, "keyName"), str(item, "model"), str(item, "route"),
                item.containsKey("streamed") ? Attr.flag(item, "streamed") : null, usage, charged.plus(shortfall), charged,
                Attr.moneyOrNull(item, "hold"), shortfall, num(item, "latencyMs"), RequestStatus.base(status),
                RequestStatus.reconciled(status), Attr.flag(item, "reversed"));
    }

    /** What the entry moved the debt by: recorded since debt changes were, and a request's shortfall before that. */
    static Money debtChange(Map<String, AttributeValue> item) {
        return Money.ofMicros(item.containsKey("debtChange") ? num(item, "debtChange") : num(item, "shortfall"));
    }

    /** Whether the entry moved money at all (a free request or a hold released in full did not). */
    static boolean moves(Map<String, AttributeValue> item) {
        return num(item, "amount") != 0 || !debtChange(item).isZero();
    }

    static Movement movement(Map<String, AttributeValue> item) {
        String entryId = str(item, "entryId");
        MovementKind kind = MovementKind.of(LedgerType.valueOf(str(item, "type").toUpperCase(Locale.ROOT)), entryId);
        String model = str(item, "model");
        String requestId = switch (kind) {
            case REQUEST -> entryId;
            case REQUEST_REVERSAL -> str(item, "reference");
            default -> null;
        };
        String note = str(item, "note");
        String description = note != null ? note : kind == MovementKind.REQUEST
                ? "request " + entryId + " on " + model + ending(str(item, "status")) : kind.wire().replace('_', ' ');
        Movement.StripeIds stripe = item.containsKey("stripeEventId") || item.containsKey("stripeSessionId")
                || item.containsKey("stripePaymentIntentId")
                ? new Movement.StripeIds(str(item, "stripeEventId"), str(item, "stripeSessionId"),
                        str(item, "stripePaymentIntentId"))
                : null;
        return new Movement(entryId, Instant.parse(str(item, "at")), kind, Money.ofMicros(num(item, "amount")),
                debtChange(item), description, str(item, "reference"), requestId, str(item, "keyId"), model, stripe);
    }

    private static String ending(String status) {
        return status == null || "ok".equals(status) ? "" : " (" + status.replace(RequestStatus.RECONCILED_PREFIX,
                "reconciled, ") + ")";
    }
}
