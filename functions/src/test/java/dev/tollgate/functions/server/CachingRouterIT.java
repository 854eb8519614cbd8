package dev.tollgate.functions.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.functions.support.Http;
import dev.tollgate.functions.support.TestServer;
import io.micronaut.web.router.Router;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filters a path needs are worked out once and kept ({@link CachingRouter}): a path asked again gets the same
 * filters (the key check on {@code /v1}, the admin token on {@code /admin}), whichever method and caller come next,
 * and paths beyond the bound are still filtered, only not kept.
 */
class CachingRouterIT {

    static final String CHAT = "{\"model\":\"qwen/qwen3-coder:free\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static TestServer server;
    static TestServer.Account account;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.openAccount("1.00");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static URI at(String path) {
        return server.apiBase().resolve(path);
    }

    static CachingRouter router() {
        return (CachingRouter) server.context().getBean(Router.class);
    }

    @Test
    void theServerRoutesThroughTheCachingRouter() {
        assertThat(server.context().getBean(Router.class)).isInstanceOf(CachingRouter.class);
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
        URI accounts = at("/admin/stats");
        for (int round = 0; round < 3; round++) {
            assertThat(Http.get(accounts, TestServer.ADMIN_TOKEN).statusCode()).as("round %d, token", round).isEqualTo(200);
            assertThat(Http.get(accounts, account.key()).statusCode()).as("round %d, an API key", round).isEqualTo(401);
            assertThat(Http.get(accounts, null).statusCode()).as("round %d, nothing", round).isEqualTo(401);
        }
    }

    @Test
    void aPathThatTwoMethodsUseIsFilteredForEach() {
        URI key = at("/v1/keys/k-two-methods");
        assertThat(Http.get(key, account.key()).statusCode()).isEqualTo(404);
        assertThat(Http.delete(key, "sk-tg-not-a-key").statusCode()).isEqualTo(401);
        assertThat(Http.get(key, "sk-tg-not-a-key").statusCode()).isEqualTo(401);
        assertThat(Http.delete(key, account.key()).statusCode()).isEqualTo(404);
    }

    @Test
    void madeUpPathsFillTheMapOnlyToItsBoundAndAreFilteredBeyondIt() {
        for (int i = 0; i < CachingRouter.MAX_PATHS + 20; i++) {
            assertThat(Http.get(at("/v1/keys/k-made-up-" + i), account.key()).statusCode()).as("path %d", i).isEqualTo(404);
        }
        assertThat(router().keptPaths()).isEqualTo(CachingRouter.MAX_PATHS);

        assertThat(Http.get(at("/v1/keys/k-beyond-the-bound"), "sk-tg-not-a-key").statusCode()).isEqualTo(401);
        assertThat(Http.get(at("/admin/accounts/a-beyond-the-bound"), account.key()).statusCode()).isEqualTo(401);
        assertThat(Http.get(at("/admin/accounts/a-beyond-the-bound"), TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(router().keptPaths()).isEqualTo(CachingRouter.MAX_PATHS);
    }
}
