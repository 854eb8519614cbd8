package dev.tollgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.accounts.AccountService;
import dev.tollgate.error.ApiException;
import dev.tollgate.money.Money;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names shown to people refuse control and bidirectional-override characters, for keys and for accounts alike,
 * with a 400 naming the field; ordinary names in any script pass.
 */
class DisplayNamesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"ci\u0000", "a\u0007b", "tab\u0009inside", "del\u007F", "c1\u0085", "c1\u009F",
            "rlo\u202Eevil", "lre\u202A", "pdf\u202C", "lri\u2066", "pdi\u2069", "lrm\u200E", "rlm\u200F",
            "alm\u061C", "lone\uD800", "lone\uDC00x"})
    void aNameWithAControlOrBidiCharacterIsRefused(String name) {
        assertThat(DisplayNames.forbiddenCharacter(name)).isNotNull();
        ObjectNode body = JSON.createObjectNode().put("name", name);
        ApiException key = catchThrowableOfType(ApiException.class, () -> KeyRequests.forCreate(body));
        assertThat(key.param()).isEqualTo("name");
        assertThat(key.getMessage()).contains("'name' contains");
        ApiException account = catchThrowableOfType(ApiException.class,
                () -> new AccountService(null, Clock.systemUTC()).open(name, Money.ZERO));
        assertThat(account.param()).isEqualTo("name");
        assertThat(account.getMessage()).contains("'name' contains");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci-pipeline", "Acme Inc.", "Ærøskøbing", "東京チーム", "שלום", "مرحبا", "emoji \uD83D\uDE80",
            "zero\u200Bwidth space"})
    void ordinaryNamesInAnyScriptPass(String name) {
        assertThat(DisplayNames.forbiddenCharacter(name)).isNull();
        assertThat(KeyRequests.forCreate(JSON.createObjectNode().put("name", name)).settings()).isNotNull();
    }
}
