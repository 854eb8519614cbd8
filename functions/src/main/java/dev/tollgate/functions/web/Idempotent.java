package dev.tollgate.functions.web;

import io.micronaut.http.annotation.FilterMatcher;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the billed POSTs that honour an {@code Idempotency-Key} header, and {@link IdempotencyFilter} itself: like
 * {@link RateLimited}, matched to the route, so no spelling of the path escapes it.
 */
@FilterMatcher
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Idempotent {
}
