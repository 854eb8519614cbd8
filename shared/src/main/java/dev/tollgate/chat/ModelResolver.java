package dev.tollgate.chat;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.error.ApiException;
import dev.tollgate.error.ErrorCode;
import dev.tollgate.keys.ApiKey;
import java.util.ArrayList;
import java.util.List;

/** Finds a requested model in the catalog and checks the caller may use it. */
public final class ModelResolver {

    private final Catalog catalog;

    public ModelResolver(Catalog catalog) {
        this.catalog = catalog;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The model for a chat request: 404 if unknown or not a chat model, 403 if outside the key's scope. */
    public ModelEntry resolveChat(ApiKey caller, String id) {
        return resolve(caller, id, "chat");
    }

    public ModelEntry resolve(ApiKey caller, String id, String capability) {
        ModelEntry model = catalog.find(id).orElseThrow(() -> new ApiException(ErrorCode.MODEL_NOT_FOUND,
                "The model '" + id + "' does not exist. GET /v1/models lists the models you can use.", "model"));
        if (!model.supports(capability)) {
            throw new ApiException(ErrorCode.MODEL_NOT_FOUND, "The model '" + id + "' does not support "
                    + capability + ". GET /v1/models shows each model's capabilities.", "model");
        }
        if (!caller.allowsModel(id)) {
            throw new ApiException(ErrorCode.MODEL_NOT_ALLOWED, "This API key may not use the model '" + id
                    + "'. It may use: " + String.join(", ", caller.allowedModels().stream().sorted().toList())
                    + ". Ask an account manager to widen the key's model list.", "model");
        }
        return model;
    }

    /**
     * The model followed by its fallbacks, in the order they are tried: only fallbacks that serve chat and that
     * the caller's key may use (a fallback is never a way around the key's model scope).
     */
    public List<ModelEntry> route(ModelEntry model, ApiKey caller) {
        List<ModelEntry> route = new ArrayList<>();
        route.add(model);
        for (String fallback : model.fallbacks()) {
            catalog.find(fallback)
                    .filter(m -> !route.contains(m) && m.supports("chat") && caller.allowsModel(m.id()))
                    .ifPresent(route::add);
        }
        return route;
    }
}
