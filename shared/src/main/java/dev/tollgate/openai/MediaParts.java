package dev.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;

/** The media content parts of chat messages, as OpenAI and the OpenAI-compatible servers spell them. */
public final class MediaParts {

    private MediaParts() {
    }

    /** {@code image}, {@code audio} or {@code video} for a media part type, {@code null} for anything else. */
    public static String kind(String type) {
        return switch (type) {
            case "image_url", "image", "input_image" -> "image";
            case "input_audio", "audio_url", "audio" -> "audio";
            case "video_url", "video", "input_video" -> "video";
            default -> null;
        };
    }

    /** Whether a part is a file or document (PDFs and the like): counted as its text, but a link is still a fetch. */
    public static boolean isFile(String type) {
        return switch (type) {
            case "file", "input_file", "document" -> true;
            default -> false;
        };
    }

    /** The URL a media part points at ({@code {"image_url": {"url": ...}}} or {@code {"image_url": "..."}}), or null. */
    public static String url(JsonNode part, String type) {
        JsonNode value = part.get(type);
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        for (String field : new String[] {"url", "file_url"}) {
            JsonNode url = value.get(field);
            if (url != null && url.isTextual()) {
                return url.asText();
            }
        }
        return null;
    }
}
