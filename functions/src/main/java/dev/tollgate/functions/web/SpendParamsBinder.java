package dev.tollgate.functions.web;

import dev.tollgate.openai.SpendControls;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.bind.binders.AnnotatedRequestArgumentBinder;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Binds {@code @RequestBean SpendParams} by reading its query value and two headers directly. Micronaut's request-bean
 * binder introspects the record and binds each component through the binder registry and the conversion service on
 * every request: ~3.5 % of a free request's CPU in a profile, for three strings. The annotations on
 * {@link SpendParams} still say what is read and document it in the OpenAPI description; a binder registered for both
 * the annotation and the type is chosen before the annotation's general one.
 *
 * <p>A repeated value binds its first, as the rate-limit and idempotency filters read it (the request-bean binder
 * joined repeated query values with commas, a 400, after those filters had counted the request as no quote). Only
 * the documented names are read: the general binder also tried {@code dry-run}, {@code Max-Cost} and {@code Afford}
 * when they were missing, names no filter knew.
 */
@Singleton
final class SpendParamsBinder implements AnnotatedRequestArgumentBinder<RequestBean, SpendParams>,
        TypedRequestArgumentBinder<SpendParams> {

    private static final Argument<SpendParams> TYPE = Argument.of(SpendParams.class);

    @Override
    public Class<RequestBean> getAnnotationType() {
        return RequestBean.class;
    }

    @Override
    public Argument<SpendParams> argumentType() {
        return TYPE;
    }

    @Override
    public BindingResult<SpendParams> bind(ArgumentConversionContext<SpendParams> context, HttpRequest<?> source) {
        HttpHeaders headers = source.getHeaders();
        Optional<SpendParams> params = Optional.of(new SpendParams(source.getParameters().get(SpendParams.DRY_RUN),
                headers.get(SpendControls.MAX_COST_HEADER), headers.get(SpendControls.AFFORD_HEADER)));
        return () -> params;
    }
}
