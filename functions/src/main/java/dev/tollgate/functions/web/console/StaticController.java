package dev.tollgate.functions.web.console;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.PathVariable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The console's own stylesheet and script, from the classpath ({@code console-static/}), a fixed list: no path from
 * the request ever reaches the class loader. External files are what the CSP's {@code 'self'} allows.
 */
// HTML pages, not part of the API: left out of the OpenAPI document.
@Hidden
@Controller("/console/static")
public class StaticController {

    private static final Map<String, String> FILES = Map.of("console.css", "text/css;charset=utf-8",
            "console.js", "text/javascript;charset=utf-8");
    private final Map<String, byte[]> bytes;

    public StaticController() {
        this.bytes = Map.of("console.css", read("console.css"), "console.js", read("console.js"));
    }

    @Get("/{file}")
    @Produces({"text/css", "text/javascript", MediaType.ALL})
    public HttpResponse<byte[]> file(@PathVariable String file) {
        byte[] content = bytes.get(file);
        if (content == null) {
            return HttpResponse.notFound();
        }
        return HttpResponse.ok(content).contentType(FILES.get(file)).header("Cache-Control", "public, max-age=300");
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticController.class.getResourceAsStream("/console-static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing console-static/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
