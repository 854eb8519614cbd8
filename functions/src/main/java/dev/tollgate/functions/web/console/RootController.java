package dev.tollgate.functions.web.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Hidden;

/** {@code GET /} leads to the console (it was a 404: the API lives under /v1). */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller
public class RootController {

    private final Pages pages;

    public RootController(Pages pages) {
        this.pages = pages;
    }

    @Get
    public HttpResponse<String> root(HttpRequest<?> request) {
        return pages.redirect(request, "/console");
    }
}
