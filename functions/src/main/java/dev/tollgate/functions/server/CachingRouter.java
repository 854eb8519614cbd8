package dev.tollgate.functions.server;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.filter.GenericHttpFilter;
import io.micronaut.http.uri.UriMatchTemplate;
import io.micronaut.web.router.DefaultRouter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteBuilder;
import io.micronaut.web.router.RouteInfo;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Micronaut's router, remembering which filters apply to a route. {@link DefaultRouter} works that out for every
 * request: each filter declared for some paths only (the API key's {@code /v1/**}, the admin token's
 * {@code /admin/**}, the console's, ...) has its patterns matched by an {@code AntPathMatcher}, which splits the
 * pattern and the path into segments each time, and the list is sorted. That was ~9 % of a free request's CPU
 * samples. The answer depends only on the method, the path and the route the path matched (filters are chosen by
 * pattern, by annotations on the route, and by whether they are switched on, which Tollgate's filters always are:
 * none is {@code Toggleable}, CachingRouterIT checks), so it can be kept.
 *
 * <p>It is kept only for a request whose path is its route's own, a route without variables whose template is
 * the path ({@code /v1/chat/completions}, not {@code /v1/keys/{id}} nor {@code /v1/chat/completions/}), once per
 * method and route. So what is kept is bounded by the routes, and a caller cannot fill it with paths of their own;
 * every other request is worked out as before.
 */
@Singleton
@Replaces(DefaultRouter.class)
public class CachingRouter extends DefaultRouter {

    private final ConcurrentHashMap<String, Found[]> byPath = new ConcurrentHashMap<>();

    @Inject
    public CachingRouter(Collection<RouteBuilder> builders) {
        super(builders);
    }

    @NonNull
    @Override
    public List<GenericHttpFilter> findFilters(@NonNull HttpRequest<?> request) {
        RouteMatch<?> routeMatch = RouteAttributes.getRouteMatch(request).orElse(null);
        return routeMatch == null ? super.findFilters(request) : filtersFor(request, routeMatch, () -> super.findFilters(request));
    }

    @NonNull
    @Override
    public List<GenericHttpFilter> findFilters(@NonNull HttpRequest<?> request, @Nullable RouteMatch<?> routeMatch) {
        return routeMatch == null
                ? super.findFilters(request, null)
                : filtersFor(request, routeMatch, () -> super.findFilters(request, routeMatch));
    }

    private List<GenericHttpFilter> filtersFor(HttpRequest<?> request, RouteMatch<?> routeMatch,
                                               Supplier<List<GenericHttpFilter>> find) {
        String path = request.getPath();
        String method = request.getMethodName();
        RouteInfo<?> route = routeMatch.getRouteInfo();
        Found kept = Found.in(byPath.get(path), method, route);
        if (kept != null) {
            return kept.filters;
        }
        List<GenericHttpFilter> filters = find.get();
        if (isTheRoutesOwnPath(route, path)) {
            Found added = new Found(method, route, filters);
            byPath.merge(path, new Found[] {added}, (were, add) -> {
                if (Found.in(were, method, route) != null) {
                    return were;
                }
                Found[] more = Arrays.copyOf(were, were.length + 1);
                more[were.length] = added;
                return more;
            });
        }
        return filters;
    }

    private static boolean isTheRoutesOwnPath(RouteInfo<?> route, String path) {
        if (!(route instanceof UriRouteInfo<?, ?> uriRoute)) {
            return false;  // an error or status route
        }
        UriMatchTemplate template = uriRoute.getUriMatchTemplate();
        return template.getVariables().isEmpty() && template.toString().equals(path);
    }

    /** How many method and route pairs have their filters kept (for tests). */
    int keptCount() {
        return byPath.values().stream().mapToInt(found -> found.length).sum();
    }

    /** The filters worked out for a path, with the method and route they were worked out for. */
    private record Found(String method, RouteInfo<?> route, List<GenericHttpFilter> filters) {

        /** The one of {@code found} (which may be null) worked out for this method and route, or null. */
        static Found in(Found[] found, String method, RouteInfo<?> route) {
            if (found != null) {
                for (Found one : found) {
                    if (one.route == route && one.method.equals(method)) {
                        return one;
                    }
                }
            }
            return null;
        }
    }
}
