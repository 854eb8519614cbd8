package dev.tollgate.local;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.catalog.ModelEntry;
import dev.tollgate.upstream.UpstreamHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The local server's start banner: where it runs, the demo key and admin token, how to try it, and what each
 * upstream answered a moment ago (its model list), so a missing model server is found before the first request
 * fails rather than after.
 */
final class Banner {

    private static final String RULE = "==================================================================";

    private Banner() {
    }

    /** @param shownKey the demo key as shown; {@code curlKey} as the curl lines use it */
    static String render(int port, String shownKey, String curlKey, String adminToken, List<String> upstreams) {
        String base = "http://localhost:" + port + "/v1";
        StringBuilder out = new StringBuilder("\n").append(RULE).append('\n');
        out.append(" Tollgate is running at ").append(base).append('\n');
        out.append(" Console: http://localhost:").append(port).append("/console (sign in with the demo key; operators at ")
                .append("/console/operator with the admin token)\n");
        out.append(" Demo API key ($5.00 credit): ").append(shownKey).append('\n');
        out.append(" Admin token: ").append(adminToken).append("\n\n");
        out.append(" Try it:\n");
        out.append("   curl ").append(base).append("/models -H \"Authorization: Bearer ").append(curlKey).append("\"\n");
        out.append("   curl ").append(base).append("/chat/completions -H \"Authorization: Bearer ").append(curlKey).append("\" \\\n");
        out.append("     -H \"Content-Type: application/json\" \\\n");
        out.append("     -d '{\"model\":\"gemma3:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}'\n\n");
        out.append(" OpenAI SDKs: base_url=").append(base).append("  api_key=<the demo key>\n\n");
        out.append(" Upstreams (chat models are served there; embeddings with all-minilm-l6-v2 run in-process):\n");
        upstreams.forEach(line -> out.append("   ").append(line).append('\n'));
        out.append(" Stop with Ctrl-C.\n").append(RULE).append('\n');
        return out.toString();
    }

    /** What each upstream answered, and what to do when it did not or lacks the catalog's models. */
    static List<String> upstreams(List<UpstreamHealth.Status> statuses, Catalog catalog) {
        List<String> lines = new ArrayList<>();
        for (UpstreamHealth.Status status : statuses) {
            List<ModelEntry> routed = catalog.models().stream().filter(m -> m.upstream().equals(status.name())).toList();
            String where = status.name() + " at " + status.url();
            boolean ollama = status.name().equals("ollama") || status.url().contains(":11434");
            String suggested = routed.stream().map(ModelEntry::upstreamModel).filter("gemma3:1b"::equals).findFirst()
                    .orElse(routed.isEmpty() ? "<model>" : routed.getFirst().upstreamModel());
            switch (status.state()) {
                case UP -> {
                    List<String> served = routed.stream().filter(m -> listed(m.upstreamModel(), status.models()))
                            .map(ModelEntry::id).toList();
                    if (served.isEmpty()) {
                        lines.add(where + " answered, but has none of the catalog's models for it (its models: "
                                + shortList(status.models()) + ").");
                        lines.add(ollama ? "  Pull one: ollama pull " + suggested
                                : "  Load one of: " + shortList(routed.stream().map(ModelEntry::upstreamModel).toList()));
                    } else {
                        lines.add(where + " answered; serves " + String.join(", ", served));
                    }
                }
                case DOWN -> {
                    lines.add(where + " did not answer (" + status.detail() + "); its models will answer 503.");
                    if (ollama) {
                        lines.add("  Start Ollama (https://ollama.com/download): ollama serve, then: ollama pull " + suggested);
                    }
                    lines.add("  Or point " + envName(status.name()) + " at any OpenAI-compatible server, and restart.");
                }
                case UNKNOWN -> lines.add(where + " was not asked.");
            }
        }
        return lines;
    }

    /** Ollama lists "qwen3:latest" for a model pulled as "qwen3", and the other way round. */
    private static boolean listed(String upstreamModel, List<String> models) {
        Set<String> names = Set.copyOf(models);
        return names.contains(upstreamModel)
                || names.contains(upstreamModel + ":latest")
                || upstreamModel.endsWith(":latest") && names.contains(upstreamModel.substring(0, upstreamModel.length() - 7));
    }

    private static String shortList(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }

    static String envName(String upstream) {
        return "TOLLGATE_UPSTREAMS_" + upstream.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_BASE_URL";
    }
}
