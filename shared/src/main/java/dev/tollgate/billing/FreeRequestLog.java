package dev.tollgate.billing;

import java.util.List;

/**
 * Port: writes the ledger entries of free requests (zero amount: the request log's rows, and what makes their
 * {@code x-request-id} look-up-able), many at a time and off the request's path. No money moves, so no condition and
 * no transaction: writing an entry twice writes the same item.
 */
public interface FreeRequestLog {

    /**
     * Writes an entry for each charge; throws if any could not be written (all may then be written again). Called
     * from several threads at once (BatchedRequestLog writes four chunks together).
     */
    void write(List<Charge> charges);
}
