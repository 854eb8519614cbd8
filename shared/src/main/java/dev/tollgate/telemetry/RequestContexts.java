package dev.tollgate.telemetry;

/** Finds the context of the inbound request the calling thread is serving. */
@FunctionalInterface
public interface RequestContexts {

    RequestContexts NONE = () -> RequestContext.NONE;

    /** The current request's context, or {@link RequestContext#NONE} outside one. */
    RequestContext current();
}
