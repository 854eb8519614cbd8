package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;

/** The media content parts of chat messages, as OpenAI and the OpenAI-compatible servers spell them. */
final class MediaParts {

    private MediaParts() {
    }

    /** {@code image}, {@code audio} or {@code video} for a media part type, {@code null} for anything else. */
    static String kind(String type) {
        return switch (type) {
            case "image_url", "image", "input_image" -> "image";
            case "input_audio", "audio_url", "audio" -> "audio";
            case "video_url", "video", "input_video" -> "video";
            default -> null;
        };
    }

    /** The URL a media part points at ({@code {"image_url": {"url": ...}}} or {@code {"image_url": "..."}}), or null. */
    static String url(JsonNode part, String type) {
        JsonNode value = part.get(type);
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        JsonNode url = value.get("url");
        return url != null && url.isTextual() ? url.asText() : null;
    }
}
