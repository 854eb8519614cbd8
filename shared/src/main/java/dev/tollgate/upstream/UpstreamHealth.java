package dev.tollgate.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this instance last knew of each upstream: from a probe of its model list (the local server's start) and
 * from every real call (an answer of any status means it is up; a refused or failed connection that it is down).
 * Read by {@code GET /ready} and the local server's start banner.
 */
public final class UpstreamHealth {

    /** UNKNOWN until a probe or a call has said otherwise. */
    public enum State { UP, DOWN, UNKNOWN }

    /**
     * @param url      the base URL without credentials or query, safe to print
     * @param detail   why it is down ("connection refused", "timed out", "HTTP 500"), or null
     * @param models   the model ids its last successful probe listed; empty when never probed
     */
    public record Status(String name, String url, State state, Instant checkedAt, String detail, List<String> models) {
    }

    private final Clock clock;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    public UpstreamHealth(Map<String, UpstreamSettings> upstreams, Clock clock) {
        this.clock = clock;
        upstreams.forEach((name, s) ->
                statuses.put(name, new Status(name, displayUrl(s.baseUrl()), State.UNKNOWN, null, null, List.of())));
    }

    /** The upstream answered a call (whatever the status: it is there). */
    public void answered(String name) {
        statuses.computeIfPresent(name, (n, s) -> new Status(n, s.url(), State.UP, clock.instant(), null, s.models()));
    }

    /** The upstream could not be reached. */
    public void unreachable(String name, String detail) {
        statuses.computeIfPresent(name, (n, s) -> new Status(n, s.url(), State.DOWN, clock.instant(), detail, s.models()));
    }

    /** A probe listed the upstream's models. */
    public void listed(String name, List<String> models) {
        statuses.computeIfPresent(name, (n, s) -> new Status(n, s.url(), State.UP, clock.instant(), null, List.copyOf(models)));
    }

    /** Asks the upstream for its models now and records the answer. */
    public Status probe(String name, ModelLister lister, Duration timeout) {
        try {
            listed(name, lister.listModels(timeout));
        } catch (UpstreamException e) {
            unreachable(name, reason(e));
        }
        return status(name);
    }

    public Status status(String name) {
        return statuses.get(name);
    }

    /** Every configured upstream, by name. */
    public List<Status> statuses() {
        List<Status> all = new ArrayList<>(statuses.values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return all;
    }

    /** Why a call or probe failed, in a few words and without internals (no addresses, no keys). */
    public static String reason(UpstreamException e) {
        return switch (e.kind()) {
            case UNREACHABLE -> e.refused() ? "connection refused" : "cannot connect";
            case TIMEOUT -> "timed out";
            case ERROR_STATUS -> "HTTP " + e.status();
            case PROTOCOL -> "not an OpenAI-compatible answer";
        };
    }

    /** {@code url} without user info, query or fragment: what may be shown in a banner or an error message. */
    public static String displayUrl(URI url) {
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return url.getScheme() + "://" + url.getHost();
        }
    }
}
