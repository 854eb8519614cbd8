package dev.tollgate.functions.web.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@code application/x-www-form-urlencoded} body, read by hand so repeated fields (checkboxes) keep every value. */
public final class Form {

    /** Console forms are small; anything bigger is not one of ours. */
    static final int MAX_BYTES = 64 * 1024;

    private final Map<String, List<String>> fields;

    private Form(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    public static Form parse(byte[] body) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (body == null || body.length == 0 || body.length > MAX_BYTES) {
            return new Form(fields);
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException malformed) {
                // a bad %-escape: the field is dropped, and the form's own validation says what is missing
            }
        }
        return new Form(fields);
    }

    /** The first value, stripped, or null when absent or blank. */
    public String get(String name) {
        List<String> values = fields.get(name);
        if (values == null || values.isEmpty() || values.getFirst().isBlank()) {
            return null;
        }
        return values.getFirst().strip();
    }

    public List<String> all(String name) {
        return fields.getOrDefault(name, List.of()).stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    public boolean checked(String name) {
        return get(name) != null;
    }
}
