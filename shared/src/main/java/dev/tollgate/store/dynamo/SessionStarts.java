package dev.tollgate.store.dynamo;

import dev.tollgate.windows.Window;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's belief of when each owner's open session started, so a reserve needs no read first: a wrong
 * belief costs one refused round ({@link ReserveCounters#learnSessions}), never a wrong count, because the session
 * pointer in the same transaction checks it.
 */
final class SessionStarts {

    private static final int MAX_TRACKED = 100_000;

    private final Map<String, Instant> starts = new ConcurrentHashMap<>();

    /**
     * The session believed open at {@code now}, or a new one starting at {@code now}, in whole milliseconds: the
     * pointer stores milliseconds, and the window item's id must be the same whoever computes it from there.
     */
    Instant current(String pointer, Instant now) {
        Instant start = starts.get(pointer);
        return start != null && Window.SESSION.end(start).isAfter(now) ? start : now.truncatedTo(ChronoUnit.MILLIS);
    }

    void learn(String pointer, Instant start) {
        if (starts.size() > MAX_TRACKED) {
            starts.clear();
        }
        starts.put(pointer, start);
    }
}
