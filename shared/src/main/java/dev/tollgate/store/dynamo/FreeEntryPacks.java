package dev.tollgate.store.dynamo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.billing.Charge;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.keys.Ids;
import dev.tollgate.money.Money;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Free requests' ledger entries, packed (docs/adr/0008, amendment): one ledger item holds the entries of one account
 * and key whose requests started in one second and ended in one second, as deflated JSON, instead of one item each.
 * Written one item per request, the entries cost the gateway more CPU than the requests (the SDK's marshalling,
 * signing and HTTP per 25 items) and three write units each; packed, a busy second of one key is one item.
 *
 * <p>A pack's {@code entryId} is {@code free#<start second>#<end second>#<random>}: the start second comes
 * from the request id ({@link Ids#requestId}), so a request is found from its id alone; the end second bounds the
 * pack's entries to {@link #SPAN} before its {@code at} (the newest entry's), which is what lets the log read packs
 * and single entries in one time order. Packs carry {@code accountId}, {@code at} and {@code keyId} (so the
 * {@code byTime} and {@code byKey} indexes hold them) but no {@code amount} and no {@code model}: the statement skips
 * them as entries that moved no money, and readers that want requests unpack them into the items a single entry
 * would have been. A pack written twice (a flush retried after a write that did succeed) repeats entries; readers
 * drop the repeats.
 */
final class FreeEntryPacks {

    static final String TYPE = "free_requests";
    static final String PREFIX = "free#";
    /** An entry of a pack is at most this much older than the pack's {@code at}. */
    static final Duration SPAN = Duration.ofSeconds(1);
    /** Entries per pack: ~40 bytes each deflated (under 100), far under DynamoDB's 400 KB item limit. */
    static final int MAX_ENTRIES = 1_000;
    /** Attributes every entry of a pack shares: kept once, on the pack. */
    private static final List<String> SHARED = List.of("accountId", "keyId");
    private static final long MAX_INFLATED = 8L << 20;
    private static final JsonFactory JSON = JsonBuffers.factory();

    private FreeEntryPacks() {
    }

    static boolean isPack(Map<String, AttributeValue> item) {
        return TYPE.equals(Attr.str(item, "type"));
    }

    /** The {@code entryId} prefix of the packs that hold requests started in {@code second}. */
    static String prefix(long second) {
        return PREFIX + Ids.secondDigits(second) + "#";
    }

    /** The size of a pack's packed entries, in bytes. */
    static int packedBytes(Map<String, AttributeValue> pack) {
        AttributeValue packed = pack.get("packed");
        return packed == null || packed.b() == null ? 0 : packed.b().asByteArrayUnsafe().length;
    }

    /** The items of one pack (before it is split at {@link #MAX_ENTRIES}): its entries share all of this. */
    private record Group(String accountId, String keyId, String idPrefix) {
    }

    /**
     * The items to write for {@code charges}: packs, and a single entry for a charge whose id does not have a request
     * id's shape (ids made before that shape had a start second have it too: they are packed under whatever second
     * their digits read as, where {@code find} looks for them).
     *
     * <p>A pack's entries are made one at a time as they are written, never all at once: a chunk's thousand entries
     * as items (a map of a dozen attributes each, ~1 MB) held while they were packed outlived young collections under
     * load, and filled the old generation until a full collection stopped the server every few seconds.
     */
    static List<Map<String, AttributeValue>> items(List<Charge> charges) {
        Map<Group, List<Charge>> groups = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (Charge charge : charges) {
            OptionalLong started = Ids.requestSecond(charge.requestId());
            if (started.isEmpty()) {
                items.add(entry(charge));
                continue;
            }
            Group group = new Group(charge.accountId(), charge.keyId(),
                    prefix(started.getAsLong()) + Ids.secondDigits(charge.at().getEpochSecond()) + "#");
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(charge);
        }
        groups.forEach((group, members) -> {
            for (int from = 0; from < members.size(); from += MAX_ENTRIES) {
                items.add(pack(group.idPrefix(), members.subList(from, Math.min(members.size(), from + MAX_ENTRIES))));
            }
        });
        return items;
    }

    /** The item a free request's charge is on its own, and the entry a pack holds for it. */
    private static Map<String, AttributeValue> entry(Charge charge) {
        return LedgerItems.toItem(DynamoBalanceStore.chargeEntry(charge, Money.ZERO, Money.ZERO, null));
    }

    private static Map<String, AttributeValue> pack(String idPrefix, List<Charge> members) {
        Map<String, AttributeValue> pack = new HashMap<>();
        Packed packed = encode(members, pack);
        // Random, not a per-process counter: instances restored from one SnapStart snapshot share a process's state.
        pack.put("entryId", Attr.s(idPrefix + Ids.newId("p").substring(2, 14)));
        pack.put("type", Attr.s(TYPE));
        pack.put("at", Attr.s(packed.newest()));
        pack.put("count", Attr.n(members.size()));
        pack.put("packed", AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(packed.bytes())));
        return pack;
    }

    /** The items the pack's entries would have been on their own, in the pack's order. */
    static List<Map<String, AttributeValue>> unpack(Map<String, AttributeValue> pack) {
        AttributeValue packed = pack.get("packed");
        if (packed == null || packed.b() == null) {
            throw new IllegalStateException("pack " + Attr.str(pack, "entryId") + " has no entries");
        }
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        try (InputStream in = new BoundedInput(new InflaterInputStream(packed.b().asInputStream()));
             JsonParser parser = JSON.createParser(in)) {
            expect(parser.nextToken(), JsonToken.START_ARRAY);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                Map<String, AttributeValue> entry = new HashMap<>();
                copyShared(pack, entry);
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    entry.put(name, switch (value) {
                        case VALUE_STRING -> Attr.s(parser.getText());
                        case VALUE_NUMBER_INT -> AttributeValue.fromN(parser.getText());
                        case VALUE_TRUE, VALUE_FALSE -> Attr.bool(value == JsonToken.VALUE_TRUE);
                        default -> throw new IOException("unexpected " + value + " for " + name);
                    });
                }
                entries.add(entry);
            }
            expect(parser.currentToken(), JsonToken.END_ARRAY);
        } catch (IOException e) {
            throw new UncheckedIOException("pack " + Attr.str(pack, "entryId") + " cannot be read", e);
        }
        return entries;
    }

    private record Packed(byte[] bytes, String newest) {
    }

    /**
     * The members' entries, deflated, and the newest entry's {@code at}; the attributes entries share (the first
     * entry's) go into {@code shared}.
     */
    private static Packed encode(List<Charge> members, Map<String, AttributeValue> shared) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(members.size() * 120);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        String newest = null;
        try (JsonGenerator out = JSON.createGenerator(new DeflaterOutputStream(bytes, deflater, 8192))) {
            out.writeStartArray();
            for (Charge member : members) {
                Map<String, AttributeValue> entry = entry(member);
                if (newest == null) {
                    copyShared(entry, shared);
                }
                String at = Attr.str(entry, "at");
                newest = newest == null || at.compareTo(newest) > 0 ? at : newest;
                out.writeStartObject();
                for (Map.Entry<String, AttributeValue> attribute : entry.entrySet()) {
                    if (SHARED.contains(attribute.getKey())) {
                        continue;
                    }
                    AttributeValue value = attribute.getValue();
                    if (value.s() != null) {
                        out.writeStringField(attribute.getKey(), value.s());
                    } else if (value.n() != null) {
                        out.writeFieldName(attribute.getKey());
                        out.writeNumber(integer(attribute.getKey(), value.n()));
                    } else if (value.bool() != null) {
                        out.writeBooleanField(attribute.getKey(), value.bool());
                    } else {
                        throw new IllegalArgumentException("a free request's entry has " + attribute.getKey()
                                + " of a type packs do not hold: " + value.type());
                    }
                }
                out.writeEndObject();
            }
            out.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return new Packed(bytes.toByteArray(), newest);
    }

    /**
     * A number attribute's digits, written as they are (parsing them to a long and formatting it again was a tenth of
     * the packing's CPU). Packs hold longs only, which is all a reader of a pack accepts ({@link Attr#num}): anything
     * else fails here, when the pack is made, rather than when it is read. A long's own text, that is: no sign but
     * a minus, no leading zero, no "-0", and the few 19- and 20-character texts are checked by parsing them.
     */
    static String integer(String name, String digits) {
        int first = digits.startsWith("-") ? 1 : 0;
        int length = digits.length() - first;
        boolean valid = length >= 1 && length <= 19 && (digits.charAt(first) != '0' || digits.length() == 1);
        for (int i = first; valid && i < digits.length(); i++) {
            valid = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
        }
        if (valid && length == 19) {
            try {
                Long.parseLong(digits);
            } catch (NumberFormatException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new IllegalArgumentException("a free request's entry has " + name + " = " + digits
                    + ", not a long");
        }
        return digits;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }

    private static void copyShared(Map<String, AttributeValue> from, Map<String, AttributeValue> to) {
        for (String shared : SHARED) {
            if (from.containsKey(shared)) {
                to.put(shared, from.get(shared));
            }
        }
    }

    /** Refuses to inflate more than {@link #MAX_INFLATED}: a damaged pack must not fill the heap. */
    private static final class BoundedInput extends FilterInputStream {
        private long read;

        BoundedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(0, n));
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > MAX_INFLATED) {
                throw new IOException("more than " + MAX_INFLATED + " bytes inflated");
            }
        }
    }
}
