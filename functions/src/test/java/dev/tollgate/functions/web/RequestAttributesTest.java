package dev.tollgate.functions.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import org.junit.jupiter.api.Test;

class RequestAttributesTest {

    @Test
    void aValueOfTheAskedTypeIsReturnedAsItWasStored() {
        MutableHttpRequest<?> request = HttpRequest.GET("/v1/models");
        StringBuilder stored = new StringBuilder("kept");
        request.setAttribute("tollgate.test", stored);

        assertThat(RequestAttributes.get(request, "tollgate.test", StringBuilder.class)).containsSame(stored);
        assertThat(RequestAttributes.get(request, "tollgate.test", CharSequence.class)).containsSame(stored);
    }

    @Test
    void anAbsentValueOrOneOfAnotherTypeIsEmptyAndNeverConverted() {
        MutableHttpRequest<?> request = HttpRequest.GET("/v1/models");
        request.setAttribute("tollgate.number", "42");

        assertThat(RequestAttributes.get(request, "tollgate.number", Integer.class)).isEmpty();
        assertThat(RequestAttributes.get(request, "tollgate.missing", String.class)).isEmpty();
        // Micronaut's typed read converts the text; ours does not
        assertThat(request.getAttribute("tollgate.number", Integer.class)).contains(42);
    }
}
