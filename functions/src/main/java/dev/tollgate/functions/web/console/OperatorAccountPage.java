package dev.tollgate.functions.web.console;

import dev.tollgate.ledger.RequestLogService;
import dev.tollgate.ledger.RequestQuery;
import dev.tollgate.ledger.StatementService;
import dev.tollgate.operator.OperatorService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * One account as the operator sees it: balance, debt, keys, latest requests and the last 30 days' statement (the
 * services behind {@code /v1/requests} and {@code /v1/statement}, for any account), top-ups, and the credit/debit form.
 */
@Singleton
public class OperatorAccountPage {

    private final OperatorService operator;
    private final Pages pages;
    private final RequestLogService requests;
    private final StatementService statements;
    private final Clock clock;

    public OperatorAccountPage(OperatorService operator, RequestLogService requests, StatementService statements,
                               Pages pages, Clock clock) {
        this.operator = operator;
        this.requests = requests;
        this.statements = statements;
        this.pages = pages;
        this.clock = clock;
    }

    public HttpResponse<String> render(HttpRequest<?> request, HttpStatus status, String accountId, String done, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", pages.chrome(request, "Account " + accountId, "accounts"));
        params.put("row", operator.account(accountId).orElseThrow());
        params.put("keys", operator.keys(accountId));
        params.put("topUps", operator.topUps(accountId));
        params.put("requests", requests.listAccount(accountId, new RequestQuery(null, null, null, null, null, "20", null)).data());
        params.put("statement", statements.ofAccount(accountId, null, null));
        params.put("now", clock.instant());
        params.put("done", done);
        params.put("error", error);
        return pages.render(status, "operator-account.jte", params);
    }
}
