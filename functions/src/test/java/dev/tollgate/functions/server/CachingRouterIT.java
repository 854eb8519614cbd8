package dev.tollgate.functions.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import io.micronaut.core.util.Toggleable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.filter.GenericHttpFilter;
import io.micronaut.http.filter.HttpFilter;
import io.micronaut.web.router.DefaultRouter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteBuilder;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteMatch;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CachingRouter} answers what Micronaut's own router answers, the first time and every later time, for
 * every method and path (kept or not), and keeps only routes' own paths: a caller cannot fill it, and the key
 * check and admin token still guard what they guarded.
 */
class CachingRouterIT {

    static final String CHAT = "{\"model\":\"qwen/qwen3-coder:free\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static TestServer server;
    static TestServer.Account account;
    static CachingRouter caching;
    static DefaultRouter plain;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("1.00");
        caching = (CachingRouter) server.context().getBean(Router.class);
        plain = new DefaultRouter(server.context().getBeansOfType(RouteBuilder.class));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static URI at(String path) {
        return server.apiBase().resolve(path);
    }

    static UriRouteMatch<?, ?> routeOf(HttpRequest<?> request) {
        return plain.findClosest(request);
    }

    @Test
    void noFilterCanBeSwitchedOffWhileRunning() {
        // The router keeps a filter list; a Toggleable filter could change it from one request to the next.
        assertThat(server.context().getBeansOfType(HttpFilter.class)).isNotEmpty()
                .noneMatch(filter -> filter instanceof Toggleable);
    }

    @Test
    void answersWhatMicronautsRouterAnswersColdAndWarm() {
        String[][] requests = {
                {"POST", "/v1/chat/completions"}, {"POST", "/v1/chat/completions/"}, {"GET", "/v1/chat/completions"},
                {"POST", "/v1/embeddings"}, {"POST", "/v1/messages"}, {"POST", "/v1/responses"},
                {"GET", "/v1/responses/resp_1"}, {"DELETE", "/v1/responses/resp_1"},
                {"GET", "/v1/keys"}, {"POST", "/v1/keys"}, {"GET", "/v1/keys/k1"}, {"DELETE", "/v1/keys/k1"},
                {"GET", "/v1/models"}, {"HEAD", "/v1/models"}, {"GET", "/v1/models/qwen/qwen3-coder:free"},
                {"GET", "/admin/stats"}, {"POST", "/admin/accounts"}, {"GET", "/metrics"},
                {"GET", "/console/keys"}, {"POST", "/console/keys"}, {"GET", "/health"}, {"GET", "/no/such/path"}};
        int routed = 0;
        for (int round = 0; round < 3; round++) {
            for (String[] methodAndPath : requests) {
                MutableHttpRequest<?> request = HttpRequest.create(HttpMethod.parse(methodAndPath[0]), methodAndPath[1]);
                UriRouteMatch<?, ?> route = routeOf(request);
                routed += route == null ? 0 : 1;
                List<GenericHttpFilter> expected = plain.findFilters(request, route);
                assertThat(caching.findFilters(request, route)).as("%s, round %d", String.join(" ", methodAndPath), round)
                        .containsExactlyElementsOf(expected);
                if (route != null) {
                    RouteAttributes.setRouteMatch(request, route);
                }
                assertThat(caching.findFilters(request)).as("%s by attribute, round %d", String.join(" ", methodAndPath), round)
                        .containsExactlyElementsOf(plain.findFilters(request));
            }
        }
        assertThat(routed).as("requests that found a route").isGreaterThan(3 * 15);
    }

    @Test
    void aKeptRouteAskedWithAnotherMethodGetsThatMethodsFilters() {
        // RefusalMetricsFilter takes POSTs only: a list kept for POST must not answer a GET on the same route.
        MutableHttpRequest<?> post = HttpRequest.create(HttpMethod.POST, "/v1/chat/completions");
        UriRouteMatch<?, ?> route = routeOf(post);
        List<GenericHttpFilter> forPost = caching.findFilters(post, route);
        MutableHttpRequest<?> get = HttpRequest.create(HttpMethod.GET, "/v1/chat/completions");

        List<GenericHttpFilter> forGet = caching.findFilters(get, route);

        assertThat(forGet).containsExactlyElementsOf(plain.findFilters(get, route));
        assertThat(forGet).hasSize(forPost.size() - 1);
    }

    @Test
    void aKeptPathStillChecksTheKeyEveryTime() {
        URI chat = at("/v1/chat/completions");
        for (int round = 0; round < 3; round++) {
            assertThat(Http.post(chat, account.key(), CHAT).statusCode()).as("round %d with the key", round).isEqualTo(200);
            assertThat(Http.post(chat, null, CHAT).statusCode()).as("round %d without a key", round).isEqualTo(401);
            assertThat(Http.post(chat, "sk-tg-not-a-key", CHAT).statusCode()).as("round %d, wrong key", round).isEqualTo(401);
        }
    }

    @Test
    void aKeptAdminPathStillChecksTheAdminToken() {
        URI stats = at("/admin/stats");
        for (int round = 0; round < 3; round++) {
            assertThat(Http.get(stats, TestServer.ADMIN_TOKEN).statusCode()).as("round %d, token", round).isEqualTo(200);
            assertThat(Http.get(stats, account.key()).statusCode()).as("round %d, an API key", round).isEqualTo(401);
            assertThat(Http.get(stats, null).statusCode()).as("round %d, nothing", round).isEqualTo(401);
        }
    }

    @Test
    void pathsOfRoutesWithVariablesAreNotKept() {
        int before = caching.keptCount();
        for (int i = 0; i < 50; i++) {
            assertThat(Http.get(at("/v1/keys/k-made-up-" + i), account.key()).statusCode()).as("path %d", i).isEqualTo(404);
            assertThat(Http.get(at("/admin/accounts/a-made-up-" + i), account.key()).statusCode()).isEqualTo(401);
        }
        assertThat(caching.keptCount()).isEqualTo(before);
        assertThat(Http.get(at("/v1/keys/k-made-up-0"), "sk-tg-not-a-key").statusCode()).isEqualTo(401);
    }
}
