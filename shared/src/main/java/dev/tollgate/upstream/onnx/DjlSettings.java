package dev.tollgate.upstream.onnx;

/**
 * DJL, which binds the HuggingFace tokenizer, "calls home" whenever a tokenizer is created: it reads the
 * EC2 instance metadata endpoint (169.254.169.254) and posts to a DJL telemetry bucket, unless
 * {@code OPT_OUT_TRACKING} or offline mode is set (ai.djl.util.Ec2Utils.callHome, DJL 0.31). Tollgate must
 * not make network calls its operator did not configure, so both are switched on before the first
 * tokenizer is built. Offline mode also forbids DJL from downloading native libraries: the ones it needs
 * (linux x86_64 and aarch64) ship inside its jar.
 */
final class DjlSettings {

    static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
    static final String OFFLINE = "ai.djl.offline";

    private DjlSettings() {
    }

    static void noTelemetryNoDownloads() {
        System.setProperty(OPT_OUT_TRACKING, "true");
        System.setProperty(OFFLINE, "true");
    }
}
