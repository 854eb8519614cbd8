package dev.tollgate.functions.web.console;

import dev.tollgate.billing.UsageReport;
import dev.tollgate.billing.UsageService;
import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.money.Money;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import io.swagger.v3.oas.annotations.Hidden;

/** The customer's overview: balance, debt, spend today / 7 / 30 days and spend per day stacked by model. */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OverviewController {

    private final UsageService usage;
    private final Pages pages;
    private final ConsoleSite site;

    public OverviewController(UsageService usage, Pages pages, ConsoleSite site) {
        this.usage = usage;
        this.pages = pages;
        this.site = site;
    }

    /** Spend over the last {@code days} days (today included) of a report's daily buckets. */
    public record Spend(String label, String amount) {
    }

    @Get
    public HttpResponse<String> overview(HttpRequest<?> request, @RequestAttribute(ConsoleFilter.CUSTOMER) ConsoleSignIn.Customer customer) {
        UsageReport report = usage.report(customer.key(), null, null);
        LocalDate today = report.end();
        List<Spend> spend = List.of(new Spend("Today", spent(report, today, 1)), new Spend("Last 7 days", spent(report, today, 7)),
                new Spend("Last 30 days", spent(report, today, 30)));
        SpendChart chart = SpendChart.of(usage.daily(customer.key(), 30), report.start(), report.end());
        return pages.page(request, "overview.jte", "Overview", "overview", Map.of("report", report, "spend", spend,
                "chart", chart, "apiBase", site.baseUrl(request) + "/v1"));
    }

    private static String spent(UsageReport report, LocalDate today, int days) {
        LocalDate from = today.minusDays(days - 1L);
        Money total = report.byDay().stream().filter(b -> !LocalDate.parse(b.label()).isBefore(from))
                .map(b -> b.totals().cost()).reduce(Money.ZERO, Money::plus);
        return Show.money(total);
    }
}
