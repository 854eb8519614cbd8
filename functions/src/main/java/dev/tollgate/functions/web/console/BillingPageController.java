package dev.tollgate.functions.web.console;

import dev.tollgate.alerts.Alerts;
import dev.tollgate.autotopup.AutoTopUpSettings;
import dev.tollgate.billing.UsageReport;
import dev.tollgate.billing.UsageService;
import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.Money;
import dev.tollgate.topups.TopUp;
import dev.tollgate.topups.TopUpService;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.HashMap;
import java.util.Map;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The Billing page: top up (an amount, then Stripe Checkout through {@link TopUpService}, as
 * {@code POST /v1/billing/checkout} does), the top-up Checkout returned from with its status (pending until Stripe's
 * webhook credits it), the top-up history, auto top-up, and alerts (settings, the latest alerts and their deliveries).
 */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console/billing")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BillingPageController {

    private static final String C = ConsoleFilter.CUSTOMER;

    private final TopUpService topUps;
    private final UsageService usage;
    private final Pages pages;
    private final Csrf csrf;
    private final ConsoleSite site;
    private final AutoTopUpSettings autoTopUp;
    private final Alerts alerts;

    public BillingPageController(TopUpService topUps, UsageService usage, Pages pages, Csrf csrf, ConsoleSite site,
                                 AutoTopUpSettings autoTopUp, Alerts alerts) {
        this.autoTopUp = autoTopUp;
        this.alerts = alerts;
        this.topUps = topUps;
        this.usage = usage;
        this.pages = pages;
        this.csrf = csrf;
        this.site = site;
    }

    @Get
    public HttpResponse<String> billing(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                        @Nullable @QueryValue("topup_id") String topupId,
                                        @Nullable @QueryValue String cancelled) {
        TopUp returned = null;
        if (topupId != null) {
            try {
                returned = topUps.get(customer.key(), topupId);
            } catch (ApiException notYours) {
                // a stale or foreign id in the URL: show the page without it
            }
        }
        return page(request, customer, HttpStatus.OK, returned, cancelled != null, null);
    }

    /** The auto top-up form: the same rules as {@code PATCH /v1/billing/auto-topup}. */
    @Post("/auto-topup")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> autoTopUp(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                          @Body @Bindable(defaultValue = "") byte[] body) {
        Form form = Form.parse(body);
        csrf.require(request, form);
        try {
            autoTopUp.update(customer.key(), new AutoTopUpSettings.Patch(form.checked("enabled"),
                    dollars(form, "threshold_usd"), dollars(form, "amount_usd"), dollars(form, "daily_cap_usd")));
            return page(request, customer, HttpStatus.OK, null, false, null, "Auto top-up saved.", null);
        } catch (ApiException e) {
            return page(request, customer, HttpStatus.valueOf(e.status()), null, false, e.getMessage());
        }
    }

    /** The alerts form: the same rules as {@code PATCH /v1/alerts/settings}; a new signing secret is shown once. */
    @Post("/alerts")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> alerts(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                       @Body @Bindable(defaultValue = "") byte[] body) {
        Form form = Form.parse(body);
        csrf.require(request, form);
        try {
            Money low = dollars(form, "low_balance_usd");
            Alerts.Updated updated = alerts.update(customer.key(), form.get("url") == null ? "" : form.get("url"),
                    low == null ? Money.ofMicros(-1) : low, form.checked("rotate_secret"));
            return page(request, customer, HttpStatus.OK, null, false, null, "Alert settings saved.",
                    updated.secretShown() ? updated.settings().secret() : null);
        } catch (ApiException e) {
            return page(request, customer, HttpStatus.valueOf(e.status()), null, false, e.getMessage());
        }
    }

    private static Money dollars(Form form, String field) {
        String text = form.get(field);
        if (text == null) {
            return null;
        }
        try {
            return Money.parseDollars(text.replace("$", "").strip());
        } catch (RuntimeException e) {
            throw ApiException.invalid(field, "Enter " + field.replace("_usd", "").replace('_', ' ')
                    + " in dollars, e.g. 10.00.");
        }
    }

    @Post("/checkout")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> checkout(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                         @Body @Bindable(defaultValue = "") byte[] body) {
        Form form = Form.parse(body);
        csrf.require(request, form);
        try {
            Money amount = amount(form.get("amount_usd"));
            TopUp topUp = topUps.checkout(customer.key(), amount, site.baseUrl(request) + "/console/billing");
            return HttpResponse.<String>status(HttpStatus.SEE_OTHER).header("Location", topUp.checkoutUrl());
        } catch (ApiException e) {
            return page(request, customer, HttpStatus.valueOf(e.status()), null, false, e.getMessage());
        }
    }

    private static Money amount(String text) {
        try {
            return Money.parseDollars(text == null ? "" : text.replace("$", "").strip());
        } catch (RuntimeException e) {
            throw ApiException.invalid("amount_usd", "Enter an amount in dollars, e.g. 10.00.");
        }
    }

    private HttpResponse<String> page(HttpRequest<?> request, ConsoleSignIn.Customer customer, HttpStatus status,
                                      TopUp returned, boolean cancelled, String error) {
        return page(request, customer, status, returned, cancelled, error, null, null);
    }

    private HttpResponse<String> page(HttpRequest<?> request, ConsoleSignIn.Customer customer, HttpStatus status,
                                      TopUp returned, boolean cancelled, String error, String notice, String newSecret) {
        UsageReport report = usage.report(customer.key(), null, null);
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", pages.chrome(request, "Billing", "billing"));
        params.put("balance", report.balance());
        params.put("debt", report.debt());
        params.put("topUps", topUps.list(customer.key()));
        params.put("returned", returned);
        params.put("cancelled", cancelled);
        params.put("error", error);
        params.put("notice", notice);
        params.put("autoTopUp", autoTopUp.get(customer.key()));
        params.put("alertSettings", alerts.settings(customer.key()));
        params.put("alerts", alerts.alerts(customer.key()).stream().limit(20).toList());
        params.put("deliveries", alerts.deliveries(customer.key()).stream().limit(20).toList());
        params.put("newSecret", newSecret);
        return pages.render(status, "billing.jte", params);
    }
}
