package dev.tollgate.store.dynamo;

import dev.tollgate.billing.Hold;
import dev.tollgate.billing.HoldCounters;
import dev.tollgate.billing.RateExceededException;
import dev.tollgate.billing.RequestRate;
import dev.tollgate.money.Money;
import dev.tollgate.windows.SpendWindow;
import dev.tollgate.windows.Window;
import dev.tollgate.windows.WindowExceededException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The items one reserve adds to its transaction for spend windows and the per-minute counter, and what their
 * cancellation reasons mean. A session's start is this instance's guess ({@link SessionStarts}); a wrong guess
 * fails the session pointer's condition, which returns the real start, and the reserve is tried again with it.
 */
final class ReserveCounters {

    private final CounterItems items;
    private final SessionStarts sessions;
    private final List<SpendWindow> windows;
    private final RequestRate rate;
    private final Money amount;
    private final Instant now;
    /** Per round: what each added item is, in order (a SpendWindow, a session pointer id, or the rate). */
    private final List<Object> meaning = new ArrayList<>();
    private final Map<SpendWindow, Instant> ends = new LinkedHashMap<>();
    private final Map<String, Instant> sessionsUsed = new LinkedHashMap<>();

    ReserveCounters(CounterItems items, SessionStarts sessions, List<SpendWindow> windows, RequestRate rate, Money amount,
                    Instant now) {
        this.items = items;
        this.sessions = sessions;
        this.windows = windows;
        this.rate = rate;
        this.amount = amount;
        this.now = now;
    }

    /** Refuses, before anything is written, a hold larger than a whole window or tokens above a whole minute. */
    void refuseImpossible() {
        for (SpendWindow window : windows) {
            if (window.limit().lessThan(amount)) {
                throw new WindowExceededException(window, null, end(window, start(window)));
            }
        }
        if (rate != null && rate.tpm() != null && rate.countedTokens() > rate.tpm()) {
            throw new RateExceededException(RateExceededException.Limit.TOKENS, rate.tpm(),
                    CounterItems.minuteStart(now).plus(CounterItems.MINUTE));
        }
    }

    /** This round's hold (with the items it counts in) and the items to add to its transaction. */
    Hold prepare(Hold hold, List<TransactWriteItem> out) {
        return hold.withCounters(prepare(out));
    }

    /** The ids of the window items a request at {@code now} counts in, as this instance believes them now. */
    List<String> windowIds() {
        return windows.stream().map(w -> CounterItems.windowId(w, start(w))).toList();
    }

    /** This round's items to add to a transaction, and what they count. */
    HoldCounters prepare(List<TransactWriteItem> out) {
        meaning.clear();
        List<String> windowIds = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        for (SpendWindow window : windows) {
            Instant start = start(window);
            Instant end = end(window, start);
            ends.put(window, end);
            String id = CounterItems.windowId(window, start);
            windowIds.add(id);
            out.add(items.countWindow(id, amount, window.limit(), end));
            meaning.add(window);
            String pointer = CounterItems.sessionId(window);
            if (window.window() == Window.SESSION && !pointers.contains(pointer)) {
                pointers.add(pointer);
                sessionsUsed.put(pointer, start);
                out.add(items.openSession(pointer, start, now));
                meaning.add(pointer);
            }
        }
        String rateId = null;
        if (rate != null) {
            rateId = CounterItems.rateId(rate.keyId(), CounterItems.minuteStart(now));
            out.add(items.countRate(rate, now));
            meaning.add(rate);
        }
        return new HoldCounters(windowIds, rateId, rate == null ? 0 : rate.countedTokens());
    }

    /** The round committed: the sessions it counted in are the open ones. */
    void committed() {
        sessionsUsed.forEach(sessions::learn);
    }

    /**
     * Learns the real start of each session whose pointer refused this round's guess.
     *
     * @return true if the reserve should be tried again with the starts learnt
     */
    boolean learnSessions(List<CancellationReason> reasons, int offset) {
        boolean retry = false;
        for (int i = 0; i < meaning.size(); i++) {
            if (meaning.get(i) instanceof String pointer && Transactions.failed(reasons, offset + i)) {
                Map<String, AttributeValue> old = reasons.get(offset + i).item();
                if (old != null && old.containsKey("sessionStart")) {
                    sessions.learn(pointer, Instant.ofEpochMilli(Attr.num(old, "sessionStart")));
                }
                retry = true;
            }
        }
        return retry;
    }

    /** Throws for the first window or per-minute counter that refused the hold, if one did. */
    void refuse(List<CancellationReason> reasons, int offset) {
        for (int i = 0; i < meaning.size(); i++) {
            if (!Transactions.failed(reasons, offset + i)) {
                continue;
            }
            Map<String, AttributeValue> old = reasons.get(offset + i).item();
            if (meaning.get(i) instanceof SpendWindow window) {
                Money used = old == null || !old.containsKey("used") ? Money.ZERO : Money.ofMicros(Attr.num(old, "used"));
                throw new WindowExceededException(window, used, ends.get(window));
            }
            if (meaning.get(i) instanceof RequestRate r) {
                boolean requests = r.rpm() != null && old != null && old.containsKey("requests")
                        && Attr.num(old, "requests") >= r.rpm();
                throw new RateExceededException(requests ? RateExceededException.Limit.REQUESTS
                        : RateExceededException.Limit.TOKENS, requests ? r.rpm() : r.tpm(),
                        CounterItems.minuteStart(now).plus(CounterItems.MINUTE));
            }
        }
    }

    private Instant start(SpendWindow window) {
        return window.window() == Window.SESSION ? sessions.current(CounterItems.sessionId(window), now)
                : window.window().periodStart(now);
    }

    private static Instant end(SpendWindow window, Instant start) {
        return window.window().end(start);
    }
}
