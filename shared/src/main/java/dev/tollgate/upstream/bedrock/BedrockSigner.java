package dev.tollgate.upstream.bedrock;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * Signs a Bedrock Runtime POST with SigV4 (service {@code bedrock}) using the SDK's signer and the credentials of the
 * configured provider: on Lambda the default chain, i.e. the function's role; the role's policy decides which models
 * may be invoked. Credentials are resolved per request: the provider caches and refreshes them.
 */
final class BedrockSigner {

    /** Headers the HTTP client sets itself and refuses from callers. */
    private static final java.util.Set<String> CLIENT_HEADERS = java.util.Set.of("host", "content-length");

    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String region;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    BedrockSigner(IdentityProvider<? extends AwsCredentialsIdentity> credentials, String region) {
        this.credentials = credentials;
        this.region = region;
    }

    Map<String, String> sign(URI uri, Map<String, String> headers, byte[] body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        headers.forEach(request::putHeader);
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        Map<String, String> out = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> {
            if (!CLIENT_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                out.put(name, String.join(",", values));
            }
        });
        return out;
    }
}
