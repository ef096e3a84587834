package io.framekeep.api.auth;

import java.util.List;
import java.util.Map;

/**
 * What the verifier needs to know about an HTTP request, independent of any HTTP framework.
 *
 * @param method request method, e.g. {@code POST}
 * @param rawPath the path exactly as received, still percent-encoded, without the query
 * @param rawQuery the query string exactly as received, without {@code ?}; null or empty when none
 * @param headers all headers, names in lower case, values in arrival order
 * @param payloadSha256Hex lower-case hex SHA-256 of the body actually received, or null when the
 *     body is streamed and not hashed (PutMedia)
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
        String payloadSha256Hex) {
}
