package dev.tollgate.functions.web;

import io.micronaut.http.annotation.FilterMatcher;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the billed endpoints that a key's {@code rpm_limit} applies to, and {@link RateLimitFilter} itself: the
 * filter is matched to the route, not to a path pattern, so no spelling of a path that reaches one of these
 * controllers (a trailing or doubled slash) escapes the limit.
 */
@FilterMatcher
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimited {
}
