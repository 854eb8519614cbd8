package dev.tollgate.store.dynamo;

import static dev.tollgate.store.dynamo.BalanceFixture.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.accounts.AccountService;
import dev.tollgate.accounts.AccountService.Opened;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.ledger.LedgerType;
import dev.tollgate.money.Money;
import dev.tollgate.testkit.LocalDynamo;
import dev.tollgate.testkit.MutableClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Opening accounts once per operator reference, on DynamoDB Local: repeats and concurrent duplicates make one account. */
class AccountOpeningIT {

    private static LocalDynamo dynamo;
    private static BalanceFixture f;
    private static AccountService service;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        f = new BalanceFixture(dynamo.client());
        service = new AccountService(f.accounts, new MutableClock(BalanceFixture.T0));
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void theSameReferenceTwiceOpensOneAccountAndAnswersWithItAgain() {
        Opened first = service.open("Acme", Money.parseDollars("5.00"), "crm-1");
        Opened again = service.open("Acme", Money.parseDollars("5.00"), " crm-1 ");

        assertThat(first.duplicate()).isFalse();
        assertThat(first.secret()).startsWith("sk-");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.secret()).as("a key secret is shown once").isNull();
        assertThat(again.account().accountId()).isEqualTo(first.account().accountId()).matches("acct_[0-9a-z]{20}");
        assertThat(again.key().keyId()).isEqualTo(first.key().keyId());
        assertThat(again.account().balance()).isEqualTo(Money.parseDollars("5.00"));
        String accountId = first.account().accountId();
        assertThat(f.ledger(accountId)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(LedgerType.ADMIN_CREDIT);
            assertThat(e.reference()).isEqualTo("crm-1");
        });
        assertThat(keysOf(accountId)).hasSize(1);
        f.assertBalanceEqualsLedger(accountId);
    }

    @Test
    void concurrentDuplicatesCreateExactlyOneAccount() throws Exception {
        List<Object> results = race(16, i -> () -> service.open("Racer", Money.parseDollars("2.00"), "crm-race"));

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(Opened.class));
        List<Opened> opened = results.stream().map(Opened.class::cast).toList();
        assertThat(opened).filteredOn(o -> !o.duplicate()).hasSize(1);
        assertThat(opened.stream().map(o -> o.account().accountId()).collect(Collectors.toSet())).hasSize(1);
        assertThat(opened.stream().map(o -> o.key().keyId()).collect(Collectors.toSet())).as("one first key").hasSize(1);
        String accountId = opened.getFirst().account().accountId();
        assertThat(f.balance(accountId)).isEqualTo(2_000_000);
        assertThat(f.ledger(accountId)).hasSize(1);
        assertThat(keysOf(accountId)).hasSize(1);
        f.assertBalanceEqualsLedger(accountId);
    }

    @Test
    void aReferenceReusedForADifferentAccountIsAConflictAndChangesNothing() {
        Opened first = service.open("Globex", Money.parseDollars("1.00"), "crm-2");

        for (Runnable different : List.<Runnable>of(
                () -> service.open("Initech", Money.parseDollars("1.00"), "crm-2"),
                () -> service.open("Globex", Money.parseDollars("9.00"), "crm-2"))) {
            assertThatThrownBy(different::run).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                assertThat(e.param()).isEqualTo("reference");
                assertThat(e.getMessage()).contains(first.account().accountId(), "Globex", "$1.000000");
            });
        }
        assertThat(f.balance(first.account().accountId())).isEqualTo(1_000_000);
        assertThat(keysOf(first.account().accountId())).hasSize(1);
    }

    @Test
    void withoutAReferenceEveryCallOpensANewAccount() {
        Opened one = service.open("Plain", Money.parseDollars("1.00"));
        Opened two = service.open("Plain", Money.parseDollars("1.00"), null);

        assertThat(one.account().accountId()).isNotEqualTo(two.account().accountId());
        assertThat(List.of(one, two)).noneMatch(Opened::duplicate);
    }

    @Test
    void aBadReferenceIsRefusedBeforeAnythingIsWritten() {
        for (String bad : List.of("", "   ", "x".repeat(201), "line\nbreak")) {
            assertThatThrownBy(() -> service.open("Bad", Money.parseDollars("1.00"), bad))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("reference"));
        }
    }

    private static Set<Map<String, AttributeValue>> keysOf(String accountId) {
        return Set.copyOf(dynamo.client().scan(b -> b.tableName(f.tables.keys())
                .filterExpression("accountId = :a").expressionAttributeValues(Map.of(":a", AttributeValue.fromS(accountId))))
                .items());
    }
}
