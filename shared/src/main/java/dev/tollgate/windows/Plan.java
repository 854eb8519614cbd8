package dev.tollgate.windows;

import java.util.List;

/** An operator-defined plan: a name and its spend windows (at most one limit per window). */
public record Plan(String name, List<WindowLimit> limits) {

    public Plan {
        limits = List.copyOf(limits);
        if (limits.stream().map(WindowLimit::window).distinct().count() != limits.size()) {
            throw new IllegalArgumentException("plan " + name + " names a window twice");
        }
    }
}
