package dev.tollgate.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.billing.Charge;
import dev.tollgate.keys.Ids;
import dev.tollgate.metering.TokenUsage;
import dev.tollgate.money.Money;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How free requests' entries are grouped into packs, and that a pack gives back exactly the items it replaced. */
class FreeEntryPacksTest {

    private static final Instant T0 = Instant.parse("2026-12-06T21:00:00Z");

    @Test
    void numbersArePackedAsTheirDigitsAndOnlyLongsAreAccepted() {
        for (long value : new long[] {0, 1, -1, 42, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(FreeEntryPacks.integer("n", Long.toString(value))).isEqualTo(Long.toString(value));
        }
        for (String notALong : new String[] {"", "-", "-0", "007", "+1", "1.5", "1e3", " 1", "１",
                "9223372036854775808", "-9223372036854775809", "99999999999999999999", "123456789012345678901"}) {
            assertThatThrownBy(() -> FreeEntryPacks.integer("n", notALong)).as(notALong)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a long");
        }
    }

    @Test
    void entriesGroupByAccountKeyStartSecondAndEndSecond() {
        List<Charge> charges = List.of(
                charge("acct_a", "key_1", T0, T0.plusMillis(100)),
                charge("acct_a", "key_1", T0.plusMillis(900), T0.plusMillis(990)),     // same start and end second
                charge("acct_a", "key_1", T0, T0.plusMillis(1_100)),                   // ended in the next second
                charge("acct_a", "key_1", T0.plusSeconds(1), T0.plusMillis(1_200)),    // started in the next second
                charge("acct_a", "key_2", T0, T0.plusMillis(200)),                     // another key
                charge("acct_b", "key_3", T0, T0.plusMillis(200)));                    // another account

        List<Map<String, AttributeValue>> items = FreeEntryPacks.items(charges);

        assertThat(items).hasSize(5).allSatisfy(item -> assertThat(FreeEntryPacks.isPack(item)).isTrue());
        assertThat(items.getFirst().get("count").n()).isEqualTo("2");
        assertThat(Attr.str(items.getFirst(), "entryId"))
                .startsWith(FreeEntryPacks.prefix(T0.getEpochSecond()) + Ids.requestId(T0).substring(4, 11) + "#");
        assertThat(Attr.str(items.getFirst(), "at")).as("the newest entry's").isEqualTo(LedgerItems.sortableTime(T0.plusMillis(990)));
        assertThat(items).extracting(i -> Attr.str(i, "entryId")).doesNotHaveDuplicates();
    }

    @Test
    void aPackUnpacksIntoTheItemsItsEntriesWouldHaveBeen() {
        List<Charge> charges = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            charges.add(new Charge(Ids.requestId(T0), "acct_a", "key_1", i % 2 == 0 ? "qwen/qwen3-coder:free" : "modèle \"ü\"",
                    new TokenUsage(12 + i, 30, i, 2, i % 3 == 0, i), Money.ZERO, i % 5 == 0 ? "reconciled:client_disconnect" : "ok",
                    40 + i, T0.plusMillis(i), i % 4 == 0 ? null : "ci key", i % 2 == 1, i % 7 == 0 ? "auto: cheapest" : null));
        }

        List<Map<String, AttributeValue>> items = FreeEntryPacks.items(charges);

        assertThat(items).singleElement();
        List<Map<String, AttributeValue>> unpacked = FreeEntryPacks.unpack(items.getFirst());
        List<Map<String, AttributeValue>> single = charges.stream().map(c -> LedgerItems.toItem(
                DynamoBalanceStore.chargeEntry(c, Money.ZERO, Money.ZERO, null))).toList();
        assertThat(unpacked).containsExactlyElementsOf(single);
        assertThat(unpacked).extracting(LedgerViews::request).containsExactlyElementsOf(single.stream().map(LedgerViews::request).toList());
    }

    @Test
    void aBusySecondIsSplitIntoPacksOfAtMostAThousandAndEachStaysSmall() {
        List<Charge> charges = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            charges.add(charge("acct_a", "key_1", T0, T0.plusNanos(i * 300_000L)));
        }

        List<Map<String, AttributeValue>> items = FreeEntryPacks.items(charges);

        assertThat(items).extracting(i -> i.get("count").n()).containsExactly("1000", "1000", "500");
        // DynamoDB's item limit is 400 KB; a realistic entry deflates to well under 100 bytes
        assertThat(items).allSatisfy(i -> assertThat(i.get("packed").b().asByteArray().length).isLessThan(100_000));
        assertThat(items.stream().mapToInt(i -> FreeEntryPacks.unpack(i).size()).sum()).isEqualTo(2_500);
    }

    @Test
    void anIdWithoutAStartSecondIsAnItemOfItsOwn() {
        Charge odd = new Charge("req-made-elsewhere", "acct_a", "key_1", "m", TokenUsage.NONE, Money.ZERO, "ok", 1, T0);

        assertThat(FreeEntryPacks.items(List.of(odd))).singleElement()
                .satisfies(item -> assertThat(FreeEntryPacks.isPack(item)).isFalse())
                .satisfies(item -> assertThat(Attr.str(item, "entryId")).isEqualTo("req-made-elsewhere"));
    }

    @Test
    void aDamagedPackIsAnErrorNotGarbage() {
        Map<String, AttributeValue> pack = new HashMap<>(FreeEntryPacks.items(List.of(charge("acct_a", "key_1", T0, T0))).getFirst());
        pack.put("packed", AttributeValue.fromB(SdkBytes.fromUtf8String("not deflated")));
        assertThatThrownBy(() -> FreeEntryPacks.unpack(pack)).isInstanceOf(UncheckedIOException.class);
        pack.remove("packed");
        assertThatThrownBy(() -> FreeEntryPacks.unpack(pack)).isInstanceOf(IllegalStateException.class);
    }

    private static Charge charge(String account, String key, Instant start, Instant end) {
        return new Charge(Ids.requestId(start), account, key, "qwen/qwen3-coder:free", new TokenUsage(12, 30, 0, 0, false),
                Money.ZERO, "ok", end.toEpochMilli() - start.toEpochMilli(), end, "ci", false);
    }
}
