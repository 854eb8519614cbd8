package dev.tollgate.functions.web;

import dev.tollgate.error.ErrorCode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}, without authentication: the OpenAPI document of the whole HTTP API, written at compile
 * time from the controllers by Micronaut's OpenAPI processor (see dev.tollgate.functions.web.openapi). It is read
 * on the first request, not at start-up, so it costs a cold start nothing. Not itself in the document.
 */
@Controller
@Hidden
public class OpenApiController {

    /** Where the processor writes it (src/main/openapi/openapi.properties names the file). */
    static final String RESOURCE = "META-INF/swagger/openapi.yml";
    /** RFC 9512's media type for YAML. */
    static final String YAML = "application/yaml";

    private volatile byte[] document;

    @Get(value = "/openapi.yaml", produces = YAML)
    public MutableHttpResponse<?> openApi() {
        byte[] yaml = document();
        if (yaml == null) {
            return Json.error(ErrorCode.NOT_FOUND, "This build has no OpenAPI document (" + RESOURCE + ").");
        }
        return HttpResponse.ok(yaml).contentType(YAML);
    }

    private byte[] document() {
        byte[] yaml = document;
        if (yaml == null) {
            try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                yaml = in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            document = yaml;
        }
        return yaml;
    }
}
