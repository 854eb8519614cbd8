package dev.tollgate.ledger;

import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRole;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /v1/requests} and {@code GET /v1/requests/{id}}: the request log of the caller's account. A management
 * key sees every request of its account; an inference key only its own (its key id is forced into the filter, and
 * another key's request is "not found", so request ids cannot be probed). The operator methods take an account id
 * and see all of it.
 */
public final class RequestLogService {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    /** Ids and filter values longer than this cannot exist (DynamoDB keys are short): answered without a read. */
    private static final int MAX_ID_LENGTH = 200;

    private final RequestLog log;

    public RequestLogService(RequestLog log) {
        this.log = log;
    }

    /** A page of the caller's requests: the account's for a management key, the key's own for an inference key. */
    public RequestPage list(ApiKey caller, RequestQuery query) {
        String keyId = text(query.keyId());
        if (caller.role() != KeyRole.MANAGEMENT) {
            if (keyId != null && !keyId.equals(caller.keyId())) {
                throw new ApiException(ErrorCode.PERMISSION_DENIED, "An inference key sees only its own requests, so "
                        + "'key_id' can only be its own id (" + caller.keyId() + ") or left out. Use a management key "
                        + "to see the requests of every key of the account.", "key_id");
            }
            keyId = caller.keyId();
        }
        return page(caller.accountId(), keyId, query);
    }

    /** A page of an account's requests, for the operator (no key scope). */
    public RequestPage listAccount(String accountId, RequestQuery query) {
        return page(accountId, text(query.keyId()), query);
    }

    /** One of the caller's requests by id; 404 when it is not the caller's to see. */
    public RequestRecord get(ApiKey caller, String requestId) {
        return find(caller.accountId(), requestId)
                .filter(r -> caller.role() == KeyRole.MANAGEMENT || caller.keyId().equals(r.keyId()))
                .orElseThrow(() -> notFound(requestId));
    }

    /** One request of an account by id, for the operator; 404 when the account has none with that id. */
    public RequestRecord getInAccount(String accountId, String requestId) {
        return find(accountId, requestId).orElseThrow(() -> notFound(requestId));
    }

    private Optional<RequestRecord> find(String accountId, String requestId) {
        if (requestId == null || requestId.isBlank() || !plain(requestId)) {
            return Optional.empty();
        }
        return log.find(accountId, requestId);
    }

    private RequestPage page(String accountId, String keyId, RequestQuery query) {
        String model = text(query.model());
        String status = status(query.status());
        if (keyId != null && !plain(keyId)) {
            throw ApiException.invalid("key_id", "'key_id' must be a key id like key_... (GET /v1/keys lists them).");
        }
        if (model != null && !plain(model)) {
            throw ApiException.invalid("model", "'model' must be a model id (GET /v1/models lists them).");
        }
        Instant start = TimeParams.parse("start", query.start(), false);
        Instant end = TimeParams.parse("end", query.end(), true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ApiException.invalid("start", "'start' (" + start + ") must be before 'end' (" + end + ").");
        }
        LedgerCursor after = text(query.after()) == null ? null : LedgerCursor.decode(query.after(), "after");
        return log.list(new RequestFilter(accountId, keyId, model, status, start, end), limit(query.limit()), after);
    }

    private static String status(String value) {
        String status = text(value);
        if (status != null && !RequestStatus.ALL.contains(status)) {
            throw ApiException.invalid("status", "'status' must be one of " + String.join(", ", RequestStatus.ALL)
                    + " (how the request ended, see the stream billing policy).");
        }
        return status;
    }

    private static int limit(String value) {
        String text = text(value);
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT + " (default "
                + DEFAULT_LIMIT + ").");
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static boolean plain(String value) {
        return value.length() <= MAX_ID_LENGTH && value.chars().noneMatch(Character::isISOControl);
    }

    private static ApiException notFound(String requestId) {
        String shown = requestId == null ? "" : requestId.length() > 60 ? requestId.substring(0, 60) + "..." : requestId;
        return new ApiException(ErrorCode.NOT_FOUND, "No request with id '" + shown + "' that this key can see. The id "
                + "is the x-request-id header of a response; GET /v1/requests lists them. Requests on free chat models "
                + "appear about a second after they end.");
    }
}
