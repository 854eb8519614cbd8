package dev.tollgate.alerts;

import java.util.Map;

/** Port: one HTTP POST of a JSON body to a customer's URL. */
@FunctionalInterface
public interface WebhookPoster {

    /**
     * @return the HTTP status
     * @throws java.io.IOException when no answer came (refused, timed out)
     */
    int post(String url, Map<String, String> headers, String body) throws java.io.IOException;
}
