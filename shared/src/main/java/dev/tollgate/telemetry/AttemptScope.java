package dev.tollgate.telemetry;

/**
 * Binds "the model being tried now" to the calling thread while a provider runs, so that each attempt the provider
 * makes (its own retries included) gets its own span. A thread-bound scope rather than a parameter because retries
 * live inside each provider, behind the one narrow {@code ChatProvider} interface, and an upstream call runs on the
 * thread that asked for it. Nothing is bound when tracing is off: {@link #begin()} then costs one thread-local read.
 */
public final class AttemptScope implements AutoCloseable {

    private static final ThreadLocal<AttemptScope> CURRENT = new ThreadLocal<>();

    private final RequestTrace trace;
    private final Attempt attempt;
    private final AttemptScope outer;
    private int attempts;
    private AttemptSpan answered = AttemptSpan.NONE;

    private AttemptScope(RequestTrace trace, Attempt attempt) {
        this.trace = trace;
        this.attempt = attempt;
        this.outer = CURRENT.get();
    }

    /** Binds {@code attempt} (its number is counted here) to this thread until {@link #close()}. */
    public static AttemptScope open(RequestTrace trace, Attempt attempt) {
        AttemptScope scope = new AttemptScope(trace, attempt);
        CURRENT.set(scope);
        return scope;
    }

    /** The span of the next attempt of the model bound to this thread; {@link AttemptSpan#NONE} if none is. */
    public static AttemptSpan begin() {
        AttemptScope scope = CURRENT.get();
        if (scope == null) {
            return AttemptSpan.NONE;
        }
        scope.attempts++;
        return scope.trace.attempt(scope.attempt.withNumber(scope.attempts));
    }

    /** The attempt whose span {@link #begin()} returned got an answer: its span stays open for whoever reads it. */
    public static void succeeded(AttemptSpan span) {
        AttemptScope scope = CURRENT.get();
        if (scope != null) {
            scope.answered = span;
        }
    }

    /** The span of the attempt that answered (still open), or {@link AttemptSpan#NONE}. */
    public AttemptSpan answered() {
        return answered;
    }

    @Override
    public void close() {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }
}
