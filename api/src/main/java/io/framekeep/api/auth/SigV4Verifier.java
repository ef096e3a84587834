package io.framekeep.api.auth;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}) on incoming requests, in both the
 * {@code Authorization} header form and the pre-signed query form ({@code X-Amz-Algorithm},
 * {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders},
 * {@code X-Amz-Signature}).
 *
 * <p>The canonical request is rebuilt as botocore and the Java v2 SDK build it for non-S3
 * services: the raw path normalized and percent-encoded a second time ({@link SigV4Encoding}),
 * query parameters decoded, re-encoded and sorted, signed headers with trimmed, space-collapsed
 * values, multiple values joined by commas. The credential scope must name the service
 * {@value #SERVICE}; any region is accepted and reported in the {@link VerifiedCaller}.
 *
 * <p>Payload hash used in the canonical request:
 * <ul>
 *   <li>{@code x-amz-content-sha256} header present: its value. {@code UNSIGNED-PAYLOAD} and
 *       {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} are taken literally (the Java v1 PutMedia client
 *       declares the latter but sends plain chunks, so chunk signatures are not checked). A hex
 *       hash must equal the hash of the received body when the body was hashed.</li>
 *   <li>absent, body streamed ({@code payloadSha256Hex == null}): the SHA-256 of the empty string,
 *       which is what the KVS producer SDKs sign for PutMedia.</li>
 *   <li>absent, body hashed: {@code payloadSha256Hex}.</li>
 *   <li>pre-signed form without the header: {@code UNSIGNED-PAYLOAD} (what presigners sign), and
 *       failing that the body hash as above.</li>
 * </ul>
 *
 * <p>Time: {@code x-amz-date} must be within {@link #MAX_CLOCK_SKEW} of the clock; a pre-signed
 * request must also not be past {@code X-Amz-Date + X-Amz-Expires}. Session tokens
 * ({@code x-amz-security-token}) are covered by the signature when signed but not validated
 * further: the credential store maps access keys to secrets only.
 *
 * <p>Errors: no signature at all → MissingAuthenticationTokenException; malformed Authorization
 * or query parameters → IncompleteSignatureException; unknown access key →
 * UnrecognizedClientException; time out of range → RequestExpired; anything else, including a
 * wrong signature, → InvalidSignatureException. Signatures are compared in constant time.
 *
 * <p>Thread-safe: the last derived signing key is kept in one immutable holder, replaced whole
 * ({@link DerivedKey}); {@code Mac} instances are created per call.
 */
public final class SigV4Verifier {

    /** The signing name of all three KVS models and of PutMedia. */
    public static final String SERVICE = "kinesisvideo";

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    public static final String STREAMING_PAYLOAD = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    /** Hex SHA-256 of zero bytes. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** Allowed distance between the request time and the server clock, as on AWS. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    /** Longest pre-signed validity SigV4 allows: seven days. */
    public static final long MAX_EXPIRES_SECONDS = 604_800L;

    static final String INVALID_SIGNATURE_MESSAGE = "The request signature we calculated does not match the"
            + " signature you provided. Check your AWS Secret Access Key and signing method. Consult the service"
            + " documentation for details.";
    static final String UNRECOGNIZED_CLIENT_MESSAGE = "The security token included in the request is invalid.";

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    /** Runs of whitespace inside a header value, which the canonical form folds to one space. */
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");

    /**
     * The signing key of one (secret, scope date, region): four chained HMACs, the same for every
     * request of a day, so it is derived once and reused while requests keep naming that scope.
     */
    private record DerivedKey(String secret, String date, String region, byte[] key) {}

    private volatile DerivedKey lastKey;

    private final CredentialStore credentials;
    private final Clock clock;

    public SigV4Verifier(CredentialStore credentials, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies the request's signature.
     *
     * @return the caller, when the signature is valid
     * @throws ApiException with one of the auth errors described in the class comment
     */
    public VerifiedCaller verify(SignedRequest request) {
        List<String> authorization = request.headers().get("authorization");
        Map<String, List<String>> query = parseQuery(request.rawQuery());
        boolean presigned = query.containsKey("X-Amz-Algorithm") || query.containsKey("X-Amz-Signature")
                || query.containsKey("X-Amz-Credential");
        boolean headerAuth = authorization != null && !authorization.isEmpty();
        if (headerAuth && presigned) {
            throw incomplete("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the"
                    + " Authorization header should be specified");
        }
        if (!headerAuth && !presigned) {
            throw ApiException.of(AwsError.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
        }
        Auth auth = headerAuth ? fromHeader(authorization, request) : fromQuery(query);
        Instant now = clock.instant();
        checkTime(auth, now);
        String secret = credentials.secretKey(auth.accessKeyId)
                .orElseThrow(() -> ApiException.of(AwsError.UNRECOGNIZED_CLIENT, UNRECOGNIZED_CLIENT_MESSAGE));

        String canonicalQuery = canonicalQuery(query, presigned);
        String canonicalHeaders = canonicalHeaders(auth.signedHeaders, request.headers());
        byte[] signingKey = cachedSigningKey(secret, auth.scopeDate, auth.region);
        String lastCanonical = null;
        String lastStringToSign = null;
        for (String payloadHash : payloadHashes(request, presigned)) {
            String canonical = request.method() + "\n" + SigV4Encoding.canonicalUri(request.rawPath()) + "\n"
                    + canonicalQuery + "\n" + canonicalHeaders + "\n" + String.join(";", auth.signedHeaders)
                    + "\n" + payloadHash;
            String stringToSign = ALGORITHM + "\n" + auth.amzDate + "\n" + auth.scope() + "\n"
                    + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
            byte[] expected = HEX.formatHex(hmac(signingKey, stringToSign)).getBytes(StandardCharsets.US_ASCII);
            byte[] provided = auth.signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, provided)) {
                return new VerifiedCaller(auth.accessKeyId, auth.region);
            }
            lastCanonical = canonical;
            lastStringToSign = stringToSign;
        }
        throw invalid(INVALID_SIGNATURE_MESSAGE + "\n\nThe Canonical String for this request should have been\n'"
                + lastCanonical + "'\n\nThe String-to-Sign should have been\n'" + lastStringToSign + "'\n");
    }

    /** Parsed signature parameters, from either form. */
    private record Auth(String accessKeyId, String scopeDate, String region, String amzDate, Instant requestTime,
            List<String> signedHeaders, String signature, Long expiresSeconds) {

        String scope() {
            return scopeDate + "/" + region + "/" + SERVICE + "/aws4_request";
        }
    }

    private Auth fromHeader(List<String> authorization, SignedRequest request) {
        if (authorization.size() != 1) {
            throw incomplete("Only one Authorization header is allowed.");
        }
        String value = authorization.get(0).trim();
        if (!value.startsWith(ALGORITHM + " ")) {
            throw incomplete("Authorization header requires the '" + ALGORITHM + "' algorithm, 'Credential',"
                    + " 'SignedHeaders' and 'Signature' parameters. Authorization=" + shorten(value));
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : value.substring(ALGORITHM.length() + 1).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq > 0) {
                params.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
            }
        }
        StringBuilder missing = new StringBuilder();
        for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
            if (params.get(name) == null || params.get(name).isEmpty()) {
                missing.append("Authorization header requires '").append(name).append("' parameter. ");
            }
        }
        String amzDate = single(request.headers(), "x-amz-date");
        if (amzDate == null) {
            missing.append("Authorization header requires existence of a 'X-Amz-Date' header. ");
        }
        if (missing.length() > 0) {
            throw incomplete(missing.toString().trim() + " Authorization=" + shorten(value));
        }
        return build(params.get("Credential"), amzDate, params.get("SignedHeaders"), params.get("Signature"), null);
    }

    private Auth fromQuery(Map<String, List<String>> query) {
        StringBuilder missing = new StringBuilder();
        for (String name : List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders",
                "X-Amz-Date")) {
            if (first(query, name) == null || first(query, name).isEmpty()) {
                missing.append("AWS query-string parameters must include '").append(name).append("'. ");
            }
        }
        if (missing.length() > 0) {
            throw incomplete(missing.toString().trim());
        }
        if (!ALGORITHM.equals(first(query, "X-Amz-Algorithm"))) {
            throw incomplete("X-Amz-Algorithm only supports '" + ALGORITHM + "'");
        }
        Long expires = null;
        String expiresText = first(query, "X-Amz-Expires");
        if (expiresText != null) {
            try {
                expires = Long.parseLong(expiresText);
            } catch (NumberFormatException e) {
                throw incomplete("X-Amz-Expires should be a number");
            }
            if (expires < 0 || expires > MAX_EXPIRES_SECONDS) {
                throw incomplete("X-Amz-Expires must be between 0 and " + MAX_EXPIRES_SECONDS + " seconds");
            }
        }
        return build(first(query, "X-Amz-Credential"), first(query, "X-Amz-Date"),
                first(query, "X-Amz-SignedHeaders"), first(query, "X-Amz-Signature"), expires);
    }

    private static Auth build(String credential, String amzDate, String signedHeadersText, String signature,
            Long expires) {
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty() || scope[2].isEmpty()) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g."
                    + " keyid/date/region/service/term, got '" + shorten(credential) + "'");
        }
        if (!scope[4].equals("aws4_request")) {
            throw invalid("Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + shorten(scope[4]) + "'.");
        }
        if (!scope[3].equals(SERVICE)) {
            throw invalid("Credential should be scoped to correct service: '" + SERVICE + "'.");
        }
        Instant requestTime;
        try {
            requestTime = parseAmzDate(amzDate);
        } catch (DateTimeParseException e) {
            throw incomplete("Date must be in ISO-8601 'basic format'. Got '" + shorten(amzDate) + "'. See"
                    + " http://en.wikipedia.org/wiki/ISO_8601");
        }
        if (!amzDate.startsWith(scope[1]) || scope[1].length() != 8) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
                    + " HTTP: '" + shorten(scope[1]) + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate
                    + "'.");
        }
        List<String> signedHeaders = new ArrayList<>();
        for (String h : signedHeadersText.split(";")) {
            if (!h.isEmpty()) {
                signedHeaders.add(h.toLowerCase(Locale.ROOT));
            }
        }
        if (!signedHeaders.contains("host")) {
            throw invalid("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return new Auth(scope[0], scope[1], scope[2], amzDate, requestTime, signedHeaders, signature, expires);
    }

    /**
     * {@code yyyyMMdd'T'HHmmss'Z'} as {@link #AMZ_DATE} reads it. Every request carries one, and the
     * formatter's general resolver is slow next to reading 14 digits: a date whose fields are plainly valid
     * (day 1-28, so valid in every month) is read directly; anything else goes to the formatter, so
     * malformed and edge-case dates are judged exactly as before.
     */
    static Instant parseAmzDate(String text) {
        if (text.length() == 16 && text.charAt(8) == 'T' && text.charAt(15) == 'Z') {
            int year = digits(text, 0, 4);
            int month = digits(text, 4, 6);
            int day = digits(text, 6, 8);
            int hour = digits(text, 9, 11);
            int minute = digits(text, 11, 13);
            int second = digits(text, 13, 15);
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour >= 0 && hour <= 23
                    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59) {
                return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
            }
        }
        return LocalDateTime.parse(text, AMZ_DATE).toInstant(ZoneOffset.UTC);
    }

    /** The decimal number in {@code text[from, to)}, or -1 if any character is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void checkTime(Auth auth, Instant now) {
        if (auth.requestTime.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            String nowText = AMZ_DATE.format(now);
            throw ApiException.of(AwsError.REQUEST_EXPIRED, "Signature not yet current: " + auth.amzDate
                    + " is still later than " + AMZ_DATE.format(now.plus(MAX_CLOCK_SKEW)) + " (" + nowText
                    + " + 15 min.)");
        }
        if (auth.expiresSeconds != null) {
            if (now.isAfter(auth.requestTime.plusSeconds(auth.expiresSeconds))) {
                String nowText = AMZ_DATE.format(now);
                throw ApiException.of(AwsError.REQUEST_EXPIRED, "Request has expired: " + auth.amzDate + " + "
                        + auth.expiresSeconds + " s is earlier than " + nowText + ".");
            }
        } else if (auth.requestTime.isBefore(now.minus(MAX_CLOCK_SKEW))) {
            String nowText = AMZ_DATE.format(now);
            throw ApiException.of(AwsError.REQUEST_EXPIRED, "Signature expired: " + auth.amzDate
                    + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_CLOCK_SKEW)) + " (" + nowText
                    + " - 15 min.)");
        }
    }

    private static List<String> payloadHashes(SignedRequest request, boolean presigned) {
        String declared = single(request.headers(), "x-amz-content-sha256");
        String received = request.payloadSha256Hex();
        String bodyHash = received == null ? EMPTY_SHA256 : received.toLowerCase(Locale.ROOT);
        if (declared != null) {
            boolean literal = declared.equals(UNSIGNED_PAYLOAD) || declared.equals(STREAMING_PAYLOAD);
            if (!literal && received != null && !declared.equalsIgnoreCase(received)) {
                throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
            return List.of(declared);
        }
        return presigned ? List.of(UNSIGNED_PAYLOAD, bodyHash) : List.of(bodyHash);
    }

    private static String canonicalHeaders(List<String> signedHeaders, Map<String, List<String>> headers) {
        StringBuilder sb = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = headers.get(name);
            sb.append(name).append(':');
            if (values != null) {
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append(WHITESPACE_RUN.matcher(values.get(i).trim()).replaceAll(" "));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String canonicalQuery(Map<String, List<String>> query, boolean presigned) {
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (presigned && e.getKey().equals("X-Amz-Signature")) {
                continue;
            }
            String name = SigV4Encoding.encode(e.getKey(), false);
            for (String v : e.getValue()) {
                pairs.add(new String[] {name, SigV4Encoding.encode(v, false)});
            }
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** Decoded query parameters in arrival order; a parameter without '=' has an empty value. */
    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = SigV4Encoding.decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : SigV4Encoding.decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private byte[] cachedSigningKey(String secret, String date, String region) {
        DerivedKey last = lastKey;
        if (last != null && last.date.equals(date) && last.region.equals(region) && last.secret.equals(secret)) {
            return last.key;
        }
        byte[] key = signingKey(secret, date, region);
        lastKey = new DerivedKey(secret, date, region, key);
        return key;
    }

    private static byte[] signingKey(String secret, String date, String region) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, SERVICE);
        return hmac(k, "aws4_request");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static String single(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0).trim();
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static ApiException incomplete(String message) {
        return ApiException.of(AwsError.INCOMPLETE_SIGNATURE, message);
    }

    private static ApiException invalid(String message) {
        return ApiException.of(AwsError.INVALID_SIGNATURE, message);
    }

    /** Echoed client text is capped so error bodies stay small. */
    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
