package dev.tollgate.functions.wiring;

import dev.tollgate.ledger.RequestLogService;
import dev.tollgate.ledger.StatementService;
import dev.tollgate.store.dynamo.DynamoLedgerHistory;
import dev.tollgate.store.dynamo.DynamoRequestLog;
import dev.tollgate.store.dynamo.DynamoTables;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The request log and the statement: read-only views of the ledger, built on their DynamoDB adapters. */
@Factory
public class LedgerFactory {

    @Singleton
    RequestLogService requestLogService(DynamoDbClient dynamo, DynamoTables tables) {
        return new RequestLogService(new DynamoRequestLog(dynamo, tables));
    }

    @Singleton
    StatementService statementService(DynamoDbClient dynamo, DynamoTables tables, Clock clock) {
        return new StatementService(new DynamoLedgerHistory(dynamo, tables), clock);
    }
}
