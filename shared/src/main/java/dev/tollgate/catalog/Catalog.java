package dev.tollgate.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The models Tollgate serves, by public id, in catalog order, and how {@code auto} chooses among them. Immutable. */
public final class Catalog {

    private final int version;
    private final Map<String, ModelEntry> models;
    private final AutoRouting auto;

    public Catalog(int version, Collection<ModelEntry> entries) {
        this(version, entries, null);
    }

    /** @param auto how {@code "model": "auto"} chooses, or {@code null} when this catalog offers no auto routing */
    public Catalog(int version, Collection<ModelEntry> entries, AutoRouting auto) {
        this.version = version;
        this.auto = auto;
        Map<String, ModelEntry> byId = new LinkedHashMap<>();
        for (ModelEntry entry : entries) {
            byId.put(entry.id(), entry);
        }
        this.models = Collections.unmodifiableMap(byId);
        for (ModelEntry entry : byId.values()) {
            for (String fallback : entry.fallbacks()) {
                if (!byId.containsKey(fallback)) {
                    throw new IllegalArgumentException(
                            "model " + entry.id() + " falls back to " + fallback + ", which is not in the catalog");
                }
            }
        }
        if (auto != null) {
            auto.checkModels(byId);
        }
    }

    public int version() {
        return version;
    }

    public Optional<ModelEntry> find(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public Collection<ModelEntry> models() {
        return models.values();
    }

    /** How {@code "model": "auto"} chooses, if this catalog offers it. */
    public Optional<AutoRouting> auto() {
        return Optional.ofNullable(auto);
    }

    /** A catalog with {@code overrides} replacing entries of the same id and adding new ones. */
    public Catalog overlay(Catalog overrides) {
        return overlay(overrides.models.values(), overrides.auto);
    }

    /** A catalog with {@code entries} replacing entries of the same id and adding new ones; validated as a whole. */
    public Catalog overlay(Collection<ModelEntry> entries) {
        return overlay(entries, null);
    }

    /**
     * As {@link #overlay(Collection)}, and with {@code autoOverride} (unless {@code null}) replacing the auto section
     * whole: rules and their order are one decision, not merged rule by rule.
     */
    public Catalog overlay(Collection<ModelEntry> entries, AutoRouting autoOverride) {
        Map<String, ModelEntry> merged = new LinkedHashMap<>(models);
        entries.forEach(e -> merged.put(e.id(), e));
        return new Catalog(version, merged.values(), autoOverride != null ? autoOverride : auto);
    }
}
