package dev.tollgate.functions.server;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.filter.GenericHttpFilter;
import io.micronaut.web.router.DefaultRouter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteBuilder;
import io.micronaut.web.router.RouteInfo;
import io.micronaut.web.router.RouteMatch;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Micronaut's router, remembering which filters apply to a path. {@link DefaultRouter} works that out for every
 * request: each filter declared for some paths only (the API key's {@code /v1/**}, the admin token's
 * {@code /admin/**}, the console's, ...) has its patterns matched by an {@code AntPathMatcher}, which splits the
 * pattern and the path into segments each time, then the list is sorted. That was ~9 % of a free request's CPU
 * samples. The answer depends only on the method, the path and the route the path matched (filters are chosen by
 * pattern, by annotations on the route, and by whether they are switched on, which Tollgate's filters always are),
 * so it is computed once per path and kept.
 *
 * <p>Paths are the caller's: at most {@value #MAX_PATHS} are kept, so paths made up to fill the map cost only what
 * they cost before. A path is kept with the method and route it was worked out for, and a request that differs in
 * either is worked out anew (a path that more than one method uses: {@code GET} and {@code DELETE} of a key).
 */
@Singleton
@Replaces(DefaultRouter.class)
public class CachingRouter extends DefaultRouter {

    static final int MAX_PATHS = 512;

    private final ConcurrentHashMap<String, Found> byPath = new ConcurrentHashMap<>();

    @Inject
    public CachingRouter(Collection<RouteBuilder> builders) {
        super(builders);
    }

    @NonNull
    @Override
    public List<GenericHttpFilter> findFilters(@NonNull HttpRequest<?> request) {
        RouteMatch<?> routeMatch = RouteAttributes.getRouteMatch(request).orElse(null);
        return routeMatch == null ? super.findFilters(request) : kept(request, routeMatch, () -> super.findFilters(request));
    }

    @NonNull
    @Override
    public List<GenericHttpFilter> findFilters(@NonNull HttpRequest<?> request, @Nullable RouteMatch<?> routeMatch) {
        return routeMatch == null
                ? super.findFilters(request, null)
                : kept(request, routeMatch, () -> super.findFilters(request, routeMatch));
    }

    private List<GenericHttpFilter> kept(HttpRequest<?> request, RouteMatch<?> routeMatch,
                                         Supplier<List<GenericHttpFilter>> find) {
        String path = request.getPath();
        String method = request.getMethodName();
        RouteInfo<?> route = routeMatch.getRouteInfo();
        Found found = byPath.get(path);
        if (found != null && found.route == route && found.method.equals(method)) {
            return found.filters;
        }
        List<GenericHttpFilter> filters = find.get();
        if (found == null && byPath.size() < MAX_PATHS) {
            byPath.putIfAbsent(path, new Found(method, route, filters));
        }
        return filters;
    }

    /** How many paths have their filters kept (for tests). */
    int keptPaths() {
        return byPath.size();
    }

    /** The filters worked out for a path, with the method and route they were worked out for. */
    private record Found(String method, RouteInfo<?> route, List<GenericHttpFilter> filters) {
    }
}
