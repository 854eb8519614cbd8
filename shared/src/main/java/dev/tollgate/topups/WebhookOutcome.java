package dev.tollgate.topups;

/**
 * What handling one webhook event did. Every result but {@link Result#RETRY_LATER} is final, and is
 * acknowledged with a 2xx so Stripe stops delivering the event.
 */
public record WebhookOutcome(Result result, String topupId, String message) {

    public enum Result {
        CREDITED, DEBITED, CLOSED, DUPLICATE, IGNORED, REVIEW,
        /** A state was recorded without moving money (e.g. a dispute won before it was reported opened). */
        RECORDED,
        /** The event cannot be applied yet (its order is unknown or not paid yet): answer 5xx so Stripe redelivers. */
        RETRY_LATER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean retryLater() {
        return result == Result.RETRY_LATER;
    }
}
