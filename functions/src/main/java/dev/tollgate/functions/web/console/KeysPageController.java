package dev.tollgate.functions.web.console;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.console.ConsoleSignIn;
import dev.tollgate.error.ApiException;
import dev.tollgate.keys.ApiKey;
import dev.tollgate.keys.KeyRequests;
import dev.tollgate.keys.KeyService;
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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The Keys page: list, create (the secret shown once, on the answer to the form post itself, never in a URL),
 * edit, disable/enable and revoke, all through {@link KeyService} as {@code /v1/keys} does.
 */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console/keys")
@ExecuteOn(TaskExecutors.BLOCKING)
public class KeysPageController {

    private static final String C = ConsoleFilter.CUSTOMER;

    private final KeyService keys;
    private final Catalog catalog;
    private final Pages pages;
    private final Csrf csrf;
    private final ConsoleSite site;
    private final Clock clock;

    public KeysPageController(KeyService keys, Catalog catalog, Pages pages, Csrf csrf, ConsoleSite site, Clock clock) {
        this.keys = keys;
        this.catalog = catalog;
        this.pages = pages;
        this.csrf = csrf;
        this.site = site;
        this.clock = clock;
    }

    @Get
    public HttpResponse<String> list(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                     @Nullable @QueryValue String done) {
        return listPage(request, customer, HttpStatus.OK, done, null);
    }

    @Post
    @Consumes(MediaType.ALL)
    public HttpResponse<String> create(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                       @Body @Bindable(defaultValue = "") byte[] body) {
        Form form = Form.parse(body);
        csrf.require(request, form);
        KeyService.Created created;
        try {
            created = keys.create(customer.key(), KeyRequests.forCreate(KeyForm.forCreate(form)));
        } catch (ApiException e) {
            return listPage(request, customer, HttpStatus.valueOf(e.status()), null, e.getMessage());
        }
        return pages.page(request, "key-created.jte", "Key created", "keys", Map.of("key", created.key(),
                "secret", created.secret(), "apiBase", site.baseUrl(request) + "/v1"));
    }

    @Get("/{id}")
    public HttpResponse<String> edit(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                     @PathVariable String id) {
        return editPage(request, keys.get(customer.key(), id), HttpStatus.OK, null);
    }

    @Post("/{id}")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> update(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                       @PathVariable String id, @Body @Bindable(defaultValue = "") byte[] body) {
        Form form = Form.parse(body);
        csrf.require(request, form);
        try {
            keys.update(customer.key(), id, KeyRequests.forUpdate(KeyForm.forUpdate(form)));
        } catch (ApiException e) {
            return editPage(request, keys.get(customer.key(), id), HttpStatus.valueOf(e.status()), e.getMessage());
        }
        return pages.redirect(request, "/console/keys?done=updated");
    }

    /** {@code disable}, {@code enable} or {@code revoke}. */
    @Post("/{id}/{action}")
    @Consumes(MediaType.ALL)
    public HttpResponse<String> act(HttpRequest<?> request, @RequestAttribute(C) ConsoleSignIn.Customer customer,
                                    @PathVariable String id, @PathVariable String action, @Body @Bindable(defaultValue = "") byte[] body) {
        csrf.require(request, Form.parse(body));
        try {
            switch (action) {
                case "revoke" -> keys.revoke(customer.key(), id);
                case "disable", "enable" -> keys.update(customer.key(), id, KeyRequests.forUpdate(
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                                .put("disabled", action.equals("disable"))));
                default -> {
                    return listPage(request, customer, HttpStatus.NOT_FOUND, null, "Unknown action '" + action + "'.");
                }
            }
        } catch (ApiException e) {
            return listPage(request, customer, HttpStatus.valueOf(e.status()), null, e.getMessage());
        }
        return pages.redirect(request, "/console/keys?done=" + (action.equals("revoke") ? "revoked" : action + "d"));
    }

    private HttpResponse<String> listPage(HttpRequest<?> request, ConsoleSignIn.Customer customer, HttpStatus status,
                                          String done, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", pages.chrome(request, "Keys", "keys"));
        params.put("keys", keys.list(customer.key()));
        params.put("models", List.copyOf(catalog.models()));
        params.put("now", clock.instant());
        params.put("done", done == null ? null : switch (done) {
            case "updated" -> "Key updated.";
            case "revoked" -> "Key revoked: it stops working at once on this server and everywhere within seconds.";
            case "disabled" -> "Key disabled.";
            case "enabled" -> "Key enabled.";
            default -> null;
        });
        params.put("error", error);
        params.put("self", customer.key().keyId());
        return pages.render(status, "keys.jte", params);
    }

    private HttpResponse<String> editPage(HttpRequest<?> request, ApiKey key, HttpStatus status, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", pages.chrome(request, "Edit key", "keys"));
        params.put("key", key);
        params.put("models", List.copyOf(catalog.models()));
        params.put("error", error);
        return pages.render(status, "key-edit.jte", params);
    }
}
