package io.liftoff.infra.login;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A person's login to the realm as a browser does it, over plain HTTP: authorization code with PKCE (S256) on the
 * loopback redirect, Keycloak's username/password form, then its OTP form when level 2 ({@code acr_values=mfa}) is
 * asked for. The code is taken from the redirect's {@code Location} (nothing listens on the loopback port in this
 * mode) and exchanged for tokens.
 *
 * <p>Keycloak marks its login cookies {@code Secure} even on http; a browser still sends them to a loopback host, so
 * this client keeps its own cookie jar and sends them too.
 */
public final class BrowserLogin {

    public static final String CLIENT_ID = "liftoff-cli";

    public static final String REDIRECT_URI = "http://127.0.0.1:8765/callback";

    private static final Pattern FORM = Pattern.compile("<form\\s[^>]*>", Pattern.CASE_INSENSITIVE);

    private static final Pattern FORM_ID = Pattern.compile("\\sid=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);

    private static final Pattern FORM_ACTION = Pattern.compile("\\saction=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);

    private static final Pattern FEEDBACK = Pattern.compile(
            "<(?:span|div|h2)[^>]*class=\"[^\"]*(?:kc-feedback-text|alert__title)[^\"]*\"[^>]*>\\s*([^<\\s][^<]*?)\\s*<",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern TITLE = Pattern.compile("<title>\\s*([^<]*?)\\s*</title>", Pattern.CASE_INSENSITIVE);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String issuer;

    private final HttpClient http;

    private final Clock clock;

    public BrowserLogin(String issuer) {
        this(issuer, Clock.systemUTC());
    }

    public BrowserLogin(String issuer, Clock clock) {
        this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.clock = clock;
    }

    /**
     * Logs a person in.
     *
     * @param totpSecret the Base32 TOTP secret, needed when level 2 is asked for (may be null for level 1)
     * @param acrValues  {@code mfa} for level 2 (password + TOTP), {@code pwd} for level 1 (password only)
     */
    public Tokens login(String username, String password, String totpSecret, String acrValues) {
        Pkce pkce = Pkce.create();
        String state = random(16);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", CLIENT_ID);
        query.put("response_type", "code");
        query.put("redirect_uri", REDIRECT_URI);
        query.put("scope", "openid");
        query.put("state", state);
        query.put("nonce", random(16));
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        if (acrValues != null && !acrValues.isBlank()) {
            query.put("acr_values", acrValues);
        }
        CookieJar cookies = new CookieJar();
        Page page = send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/auth?" + form(query)))
                .GET(), cookies);
        boolean passwordSent = false;
        boolean otpSent = false;
        for (int step = 0; step < 10; step++) {
            if (page.location().isPresent()) {
                String location = page.location().get();
                if (location.startsWith(REDIRECT_URI)) {
                    return exchange(callbackParameters(location, state), pkce);
                }
                page = send(HttpRequest.newBuilder(URI.create(location)).GET(), cookies);
                continue;
            }
            Matcher form = FORM.matcher(page.body());
            String tag = form.find() ? form.group() : "";
            Matcher id = FORM_ID.matcher(tag);
            Matcher act = FORM_ACTION.matcher(tag);
            String formId = id.find() ? id.group(1) : "";
            String action = act.find() ? htmlUnescape(act.group(1)) : "";
            if ("kc-form-login".equals(formId) && !passwordSent) {
                passwordSent = true;
                page = post(action, Map.of("username", username, "password", password, "credentialId", ""), cookies);
            }
            else if ("kc-otp-login-form".equals(formId) && !otpSent) {
                if (totpSecret == null || totpSecret.isBlank()) {
                    throw new LoginException("Keycloak asks for a TOTP code (level 2) but no TOTP secret was given");
                }
                otpSent = true;
                page = post(action, Map.of("otp", Totp.code(totpSecret, clock.instant())), cookies);
            }
            else {
                throw new LoginException("Login refused: " + page.message()
                        + (formId.isEmpty() ? "" : " (Keycloak shows form " + formId + ")"));
            }
        }
        throw new LoginException("Login did not finish after 10 steps: " + page.message());
    }

    /** Uses a refresh token (the realm rotates them: each works once). */
    public Tokens refresh(String refreshToken) {
        return tokenRequest(Map.of("grant_type", "refresh_token", "client_id", CLIENT_ID, "refresh_token",
                refreshToken));
    }

    public String tokenEndpoint() {
        return issuer + "/protocol/openid-connect/token";
    }

    /** The authorization URL a person opens in a browser for the interactive login; the redirect brings the code. */
    public String authorizationUrl(Pkce pkce, String state, String acrValues) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", CLIENT_ID);
        query.put("response_type", "code");
        query.put("redirect_uri", REDIRECT_URI);
        query.put("scope", "openid");
        query.put("state", state);
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        if (acrValues != null && !acrValues.isBlank()) {
            query.put("acr_values", acrValues);
        }
        return issuer + "/protocol/openid-connect/auth?" + form(query);
    }

    /** Exchanges an authorization code received on the loopback redirect. */
    public Tokens exchange(String code, Pkce pkce) {
        return tokenRequest(Map.of("grant_type", "authorization_code", "client_id", CLIENT_ID, "code", code,
                "redirect_uri", REDIRECT_URI, "code_verifier", pkce.verifier()));
    }

    private Tokens exchange(Map<String, String> callback, Pkce pkce) {
        return exchange(callback.get("code"), pkce);
    }

    private static Map<String, String> callbackParameters(String location, String expectedState) {
        Map<String, String> parameters = queryParameters(URI.create(location).getRawQuery());
        if (parameters.containsKey("error")) {
            throw new LoginException("Keycloak answered " + parameters.get("error") + ": "
                    + parameters.getOrDefault("error_description", ""));
        }
        if (!expectedState.equals(parameters.get("state")) || !parameters.containsKey("code")) {
            throw new LoginException("The redirect lacks the code or carries another state");
        }
        return parameters;
    }

    public static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.put(name, value);
        }
        return parameters;
    }

    private Tokens tokenRequest(Map<String, String> parameters) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(parameters))).build();
        HttpResponse<String> response = call(request);
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new LoginException("Token endpoint answered " + response.statusCode() + ": "
                    + body.path("error").asString("") + " " + body.path("error_description").asString(""));
        }
        return new Tokens(body.path("access_token").asString(), body.path("refresh_token").asString(null), body);
    }

    private Page post(String action, Map<String, String> fields, CookieJar cookies) {
        return send(HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))), cookies);
    }

    private Page send(HttpRequest.Builder builder, CookieJar cookies) {
        cookies.header().ifPresent(value -> builder.header("Cookie", value));
        HttpResponse<String> response = call(builder.timeout(Duration.ofSeconds(20)).build());
        cookies.store(response.headers().allValues("Set-Cookie"));
        return new Page(response.statusCode(), response.headers().firstValue("Location"), response.body());
    }

    private HttpResponse<String> call(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new LoginException("Keycloak cannot be reached at " + request.uri().getHost() + ":"
                    + request.uri().getPort() + " (" + ex.getMessage() + ")");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LoginException("Interrupted");
        }
    }

    static String form(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((name, value) -> {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    static String htmlUnescape(String text) {
        return text.replace("&amp;", "&").replace("&#61;", "=").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&lt;", "<").replace("&gt;", ">");
    }

    private static String random(int bytes) {
        byte[] data = new byte[bytes];
        RANDOM.nextBytes(data);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }

    /** The tokens of a successful login; {@code response} is the token endpoint's whole answer. */
    public record Tokens(String accessToken, String refreshToken, JsonNode response) {
    }

    /** A PKCE verifier and its S256 challenge. */
    public record Pkce(String verifier, String challenge) {

        public static Pkce create() {
            String verifier = random(32);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("SHA-256 is not available", ex);
            }
        }
    }

    /** Why a login did not give tokens, in Keycloak's words where it said any. */
    public static final class LoginException extends RuntimeException {

        public LoginException(String message) {
            super(message);
        }
    }

    private record Page(int status, Optional<String> location, String body) {

        String message() {
            Matcher feedback = FEEDBACK.matcher(body);
            if (feedback.find()) {
                return htmlUnescape(feedback.group(1));
            }
            Matcher title = TITLE.matcher(body);
            return "HTTP " + status + (title.find() ? " (" + htmlUnescape(title.group(1)) + ")" : "");
        }
    }

    /** Cookies by name, sent back whatever their {@code Secure} flag; one host only. */
    private static final class CookieJar {

        private final Map<String, String> values = new LinkedHashMap<>();

        void store(List<String> setCookies) {
            for (String setCookie : setCookies) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                boolean expired = setCookie.toLowerCase().contains("max-age=0") || value.isEmpty();
                if (expired) {
                    values.remove(name);
                }
                else {
                    values.put(name, value);
                }
            }
        }

        Optional<String> header() {
            if (values.isEmpty()) {
                return Optional.empty();
            }
            StringBuilder out = new StringBuilder();
            values.forEach((name, value) -> {
                if (!out.isEmpty()) {
                    out.append("; ");
                }
                out.append(name).append('=').append(value);
            });
            return Optional.of(out.toString());
        }
    }
}
