package dev.tollgate.keys;

/**
 * One field of a partial update (HTTP PATCH): either left as it is, or set to a value, where a
 * {@code null} value clears the field. A plain nullable field could not tell "leave the budget alone"
 * from "remove the budget".
 */
public record Change<T>(boolean present, T value) {

    private static final Change<?> KEEP = new Change<>(false, null);

    @SuppressWarnings("unchecked")
    public static <T> Change<T> keep() {
        return (Change<T>) KEEP;
    }

    /** Sets the field to {@code value}; {@code null} clears it. */
    public static <T> Change<T> to(T value) {
        return new Change<>(true, value);
    }

    /** The new value if this changes the field, otherwise {@code current}. */
    public T or(T current) {
        return present ? value : current;
    }
}
