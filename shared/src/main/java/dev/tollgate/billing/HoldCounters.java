package dev.tollgate.billing;

import java.util.List;

/**
 * What a hold was counted in besides the balance and the key: the ids of the spend-window items that took its
 * amount, and the per-minute item that took its tokens. Recorded on the hold, so that its settlement (or the
 * reconciler's release) gives back to exactly those items what the request did not use.
 *
 * @param windowItems the window items' ids, each of which counted {@link Hold#amount()}
 * @param rateItem    the key's per-minute item, or {@code null}
 * @param heldTokens  the tokens counted in {@code rateItem} towards {@code tpm_limit} (zero when the key has none)
 */
public record HoldCounters(List<String> windowItems, String rateItem, long heldTokens) {

    public static final HoldCounters NONE = new HoldCounters(List.of(), null, 0);

    public HoldCounters {
        windowItems = List.copyOf(windowItems);
    }

    public boolean isEmpty() {
        return windowItems.isEmpty() && rateItem == null;
    }
}
