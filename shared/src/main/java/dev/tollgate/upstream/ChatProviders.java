package dev.tollgate.upstream;

import java.util.Map;
import java.util.Optional;

/** The configured upstreams by name. */
public final class ChatProviders {

    private final Map<String, ChatProvider> byName;

    public ChatProviders(Map<String, ChatProvider> byName) {
        this.byName = Map.copyOf(byName);
    }

    public Optional<ChatProvider> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
