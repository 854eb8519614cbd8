package dev.tollgate.functions.support;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a set of DynamoDB calls costs on an on-demand table: calls, items written per table, and request units.
 *
 * <p>Request units follow the documented on-demand rules, for items under 1 KB (which {@code DynamoCostPerRequestIT}
 * checks every stored item is): a standard write is 1 WRU per item and index it changes, taken from DynamoDB
 * Local's figures, which match that rule; a transactional write is 2 WRU per item, counted here because DynamoDB
 * Local's transaction figures do not follow the rule, plus 1 WRU per index the transaction changes (an
 * assumption: the documentation prices the transaction's items and says nothing else about its index writes).
 * Reads are DynamoDB Local's figures: 0.5 RRU per eventually consistent item read, 1 per strongly consistent.
 *
 * @param writeCalls   API calls that write
 * @param readCalls    API calls that read
 * @param itemsWritten items written per table (prefix removed), transactions' items included
 * @param wru          write request units
 * @param rru          read request units
 */
public record DynamoFootprint(int writeCalls, int readCalls, Map<String, Integer> itemsWritten, double wru, double rru) {

    public static DynamoFootprint of(List<DynamoMeter.Call> calls, String tablePrefix) {
        int writes = 0;
        int reads = 0;
        double wru = 0;
        double rru = 0;
        Map<String, Integer> items = new TreeMap<>();
        for (DynamoMeter.Call call : calls) {
            if (call.failed()) {
                throw new IllegalStateException("a DynamoDB call failed while measuring: " + call);
            }
            if (!call.write()) {
                reads++;
                rru += call.tableUnits() + call.indexUnits().values().stream().mapToDouble(Double::doubleValue).sum();
                continue;
            }
            writes++;
            call.items().forEach((table, n) -> items.merge(table.substring(tablePrefix.length()), n, Integer::sum));
            if (call.transactional()) {
                int count = call.items().values().stream().mapToInt(Integer::intValue).sum();
                wru += 2.0 * count + call.indexUnits().values().stream().filter(u -> u > 0).count();
            } else {
                wru += call.tableUnits() + call.indexUnits().values().stream().mapToDouble(Double::doubleValue).sum();
            }
        }
        return new DynamoFootprint(writes, reads, items, wru, rru);
    }
}
