package dev.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * Stored responses ({@code store: true}): the response object for GET, and the conversation up to and including
 * it for {@code previous_response_id}. Per account: another account's id is not found, never readable.
 */
public interface ResponseStore {

    /**
     * @param response     the response object as the client got it
     * @param conversation the chat messages of the whole conversation, this response's answer last
     * @param expiresAt    when it is deleted (a TTL): conversations are not kept forever
     */
    record Stored(String id, String accountId, ObjectNode response, ArrayNode conversation, Instant expiresAt) {
    }

    /** Stores a response; false when it is too large to keep (then it simply cannot be continued). */
    boolean save(Stored stored);

    /** The account's stored response, if it exists, belongs to the account and has not expired. */
    Optional<Stored> find(String accountId, String id);

    /** Deletes the account's stored response; false when there was none. */
    boolean delete(String accountId, String id);
}
