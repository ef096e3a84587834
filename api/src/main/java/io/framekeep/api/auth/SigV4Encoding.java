package io.framekeep.api.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Percent-encoding and path normalization as SigV4 defines them for non-S3 services.
 * Stateless and thread-safe.
 */
final class SigV4Encoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SigV4Encoding() {
    }

    /** Encodes every byte except the unreserved {@code A-Z a-z 0-9 - _ . ~} (and '/' if kept). */
    static String encode(String value, boolean keepSlash) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }

    /**
     * Percent-decodes a query component. Malformed escapes are kept literally; '+' stays '+'
     * (RFC 3986; the SDKs encode spaces as {@code %20}).
     */
    static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length() && hex(value.charAt(i + 1)) >= 0
                    && hex(value.charAt(i + 2)) >= 0) {
                out.write(hex(value.charAt(i + 1)) << 4 | hex(value.charAt(i + 2)));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The canonical URI of a raw (already percent-encoded) path. As botocore and the Java v2 SDK
     * do for every service but S3: remove dot segments and empty segments, keep a trailing slash,
     * then percent-encode the encoded path once more (so {@code %20} becomes {@code %2520}).
     */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> out = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(segment);
            }
        }
        StringBuilder sb = new StringBuilder("/").append(String.join("/", out));
        if (rawPath.endsWith("/") && !out.isEmpty()) {
            sb.append('/');
        }
        return encode(sb.toString(), true);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
