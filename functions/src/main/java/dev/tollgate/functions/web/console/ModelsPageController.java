package dev.tollgate.functions.web.console;

import dev.tollgate.catalog.Catalog;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import java.util.List;
import java.util.Map;
import io.swagger.v3.oas.annotations.Hidden;

/** The Models page: the catalog as {@code GET /v1/models} lists it, with copy-paste snippets for this deployment. */
// HTML: Micronaut's default, application/json, would answer an Accept of text/html alone with 406.
@Produces(MediaType.TEXT_HTML)
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console/models")
public class ModelsPageController {

    private final Catalog catalog;
    private final Pages pages;
    private final ConsoleSite site;

    public ModelsPageController(Catalog catalog, Pages pages, ConsoleSite site) {
        this.catalog = catalog;
        this.pages = pages;
        this.site = site;
    }

    @Get
    public HttpResponse<String> models(HttpRequest<?> request) {
        return pages.page(request, "models.jte", "Models", "models", Map.of("models", List.copyOf(catalog.models()),
                "apiBase", site.baseUrl(request) + "/v1"));
    }
}
