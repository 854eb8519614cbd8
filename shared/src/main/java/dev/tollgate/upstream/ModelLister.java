package dev.tollgate.upstream;

import java.time.Duration;
import java.util.List;

/** An optional capability of a provider: the model names its upstream serves (OpenAI's {@code GET /models}). */
public interface ModelLister {

    /** The upstream's model ids; fails (as a chat call would) when the upstream cannot be reached within {@code timeout}. */
    List<String> listModels(Duration timeout) throws UpstreamException;
}
