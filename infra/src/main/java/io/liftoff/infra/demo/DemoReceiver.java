package io.liftoff.infra.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local platform's demo receiver: where notification-service's channels can point on one machine, so that a new
 * user sees what Liftoff sends. {@code infra/liftoff up} starts it on loopback and allows notification-service to call
 * it (and nothing else on loopback).
 * <ul>
 * <li>{@code POST /hooks/<anything>}: a webhook or Slack incoming-webhook URL. Liftoff's signed webhooks are checked
 * against the demo secret (HMAC-SHA256 over {@code timestamp + "." + body}, five minutes of freshness). {@code ?status=503}
 * answers that status and {@code ?delay=3000} answers after that many milliseconds (at most 30 s), to watch retries,
 * backoff, the circuit breaker and dead letters.</li>
 * <li>SMTP on its own port: every e-mail, for any recipient.</li>
 * <li>{@code GET /}: the inbox as a page (newest first, refreshed every 5 s); {@code GET /messages}: the same as JSON;
 * {@code DELETE /messages} empties it; {@code GET /actuator/health} for the launcher.</li>
 * </ul>
 * Demo only: it binds to loopback, keeps the last messages in memory, and its webhook secret is documented.
 *
 * <pre>
 * java -cp infra.jar:lib/* io.liftoff.infra.demo.DemoReceiver [--port=8085] [--smtp-port=1025]
 *      [--webhook-secret=liftoff-demo-webhook-secret] [--keep=500]
 * </pre>
 */
public final class DemoReceiver implements AutoCloseable {

    /** The secret a demo webhook channel is configured with, so that the receiver can check its signatures. */
    public static final String DEMO_WEBHOOK_SECRET = "liftoff-demo-webhook-secret";

    static final int MAX_BODY_BYTES = 1024 * 1024;

    static final Duration FRESHNESS = Duration.ofMinutes(5);

    static final int MAX_DELAY_MILLIS = 30_000;

    private static final List<String> SHOWN_HEADERS = List.of("Content-Type", "X-Liftoff-Event", "X-Liftoff-Event-Id",
            "X-Liftoff-Delivery-Id", "X-Liftoff-Timestamp", "X-Liftoff-Signature", "User-Agent");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Inbox inbox;
    private final Clock clock;
    private final byte[] secret;
    private final HttpServer http;
    private final ExecutorService workers;
    private final MailReceiver mail;

    public DemoReceiver(Options options, Clock clock) throws IOException {
        this.inbox = new Inbox(options.keep());
        this.clock = clock;
        this.secret = options.webhookSecret().getBytes(StandardCharsets.UTF_8);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.mail = new MailReceiver(inbox, clock, loopback, options.smtpPort());
        try {
            this.http = HttpServer.create(new InetSocketAddress(loopback, options.port()), 50);
        }
        catch (IOException ex) {
            mail.close();
            throw ex;
        }
        // A few threads, so that a delayed answer (?delay=) does not hold up the other hooks.
        this.workers = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "demo-receiver-http");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(workers);
        http.createContext("/", this::handle);
        http.start();
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println("demo-receiver: " + ex.getMessage());
            System.exit(2);
            return;
        }
        DemoReceiver receiver;
        try {
            receiver = new DemoReceiver(options, Clock.systemUTC());
        }
        catch (IOException ex) {
            System.err.printf("demo-receiver: cannot listen on port %d (HTTP) and %d (SMTP): %s%n", options.port(),
                    options.smtpPort(), ex.getMessage());
            System.exit(1);
            return;
        }
        System.out.printf("demo-receiver: inbox http://localhost:%d/, hooks http://localhost:%d/hooks/<name>,"
                + " SMTP localhost:%d%n", receiver.httpPort(), receiver.httpPort(), receiver.smtpPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            receiver.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    public int smtpPort() {
        return mail.port();
    }

    Inbox inbox() {
        return inbox;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.startsWith("/hooks/") && path.length() > "/hooks/".length()) {
                if (!method.equals("POST")) {
                    answer(exchange, 405, "text/plain", "POST a message to a hook\n", "POST");
                    return;
                }
                receive(exchange);
            }
            else if (path.equals("/") && method.equals("GET")) {
                answer(exchange, 200, "text/html; charset=utf-8", InboxPage.render(inbox.list(), httpPort(),
                        smtpPort()), null);
            }
            else if (path.equals("/messages") && method.equals("GET")) {
                answer(exchange, 200, "application/json", JSON.writeValueAsString(Map.of("messages", inbox.list())),
                        null);
            }
            else if (path.equals("/messages") && method.equals("DELETE")) {
                inbox.clear();
                exchange.sendResponseHeaders(204, -1);
            }
            else if (path.equals("/actuator/health") && method.equals("GET")) {
                answer(exchange, 200, "application/json", "{\"status\":\"UP\"}", null);
            }
            else if (path.equals("/") || path.equals("/messages") || path.equals("/actuator/health")) {
                answer(exchange, 405, "text/plain", "method not allowed\n", path.equals("/messages") ? "GET, DELETE"
                        : "GET");
            }
            else {
                answer(exchange, 404, "text/plain", "no such page: the inbox is at /, hooks at /hooks/<name>\n", null);
            }
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        Instant now = clock.instant();
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            answer(exchange, 413, "text/plain", "a message is at most " + MAX_BODY_BYTES + " bytes\n", null);
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI());
        int status;
        int delay;
        try {
            status = Integer.parseInt(query.getOrDefault("status", "200"));
            delay = Integer.parseInt(query.getOrDefault("delay", "0"));
        }
        catch (NumberFormatException ex) {
            answer(exchange, 400, "text/plain", "status and delay are numbers: ?status=503&delay=3000\n", null);
            return;
        }
        if (status < 200 || status > 599 || delay < 0 || delay > MAX_DELAY_MILLIS) {
            answer(exchange, 400, "text/plain",
                    "status is 200-599 and delay 0-" + MAX_DELAY_MILLIS + " milliseconds\n", null);
            return;
        }
        Headers requestHeaders = exchange.getRequestHeaders();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : SHOWN_HEADERS) {
            String value = requestHeaders.getFirst(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode json = parse(text);
        String channel;
        String title;
        String signature = null;
        if (requestHeaders.containsKey("X-Liftoff-Event") || requestHeaders.containsKey("X-Liftoff-Signature")) {
            channel = "webhook";
            title = String.valueOf(requestHeaders.getFirst("X-Liftoff-Event"));
            if (json != null && json.path("title").isString()) {
                title += ": " + json.path("title").asString();
            }
            signature = signature(requestHeaders.getFirst("X-Liftoff-Timestamp"),
                    requestHeaders.getFirst("X-Liftoff-Signature"), body, now);
        }
        else if (json != null && (json.has("blocks") || json.has("text"))) {
            channel = "slack";
            title = json.path("text").asString("").lines().findFirst().orElse("");
        }
        else {
            channel = "http";
            title = "";
        }
        String pretty = json == null ? text : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        Inbox.Message message = inbox.add(now, channel, exchange.getRequestURI().getPath(), title, signature, status,
                headers, pretty);
        System.out.printf("demo-receiver: #%d %s to %s answered %d%s: %s%n", message.id(), channel, message.target(),
                status, signature == null ? "" : " (signature " + signature + ")", title);
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        answer(exchange, status, "text/plain", status < 300 ? "ok\n" : "the demo receiver answers " + status + "\n",
                null);
    }

    /** valid, invalid, stale or unsigned: Liftoff's signature over {@code timestamp + "." + body}. */
    String signature(String timestamp, String header, byte[] body, Instant now) {
        if (header == null || timestamp == null) {
            return "unsigned";
        }
        if (!header.startsWith("sha256=")) {
            return "invalid";
        }
        byte[] expected;
        byte[] given;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
            given = HexFormat.of().parseHex(header.substring("sha256=".length()));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
        catch (IllegalArgumentException ex) {
            return "invalid";
        }
        if (!MessageDigest.isEqual(expected, given)) {
            return "invalid";
        }
        try {
            Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
            return Duration.between(signedAt, now).abs().compareTo(FRESHNESS) > 0 ? "stale" : "valid";
        }
        catch (NumberFormatException ex) {
            return "invalid";
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = uri.getQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), pair.substring(eq + 1));
                }
            }
        }
        return values;
    }

    private static void answer(HttpExchange exchange, int status, String type, String body, String allow)
            throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (allow != null) {
            exchange.getResponseHeaders().set("Allow", allow);
        }
        if (status == 204 || status == 304) {
            // No body may follow these (?status=204 on a hook).
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
        try {
            mail.close();
        }
        catch (IOException ex) {
            System.err.println("demo-receiver: closing SMTP: " + ex.getMessage());
        }
    }

    /** The command line: {@code --port=8085 --smtp-port=1025 --webhook-secret=... --keep=500}. */
    public record Options(int port, int smtpPort, String webhookSecret, int keep) {

        public static Options parse(String... args) {
            Map<String, String> values = new LinkedHashMap<>(Map.of("port", "8085", "smtp-port", "1025",
                    "webhook-secret", DEMO_WEBHOOK_SECRET, "keep", "500"));
            for (String arg : args) {
                int eq = arg.indexOf('=');
                String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
                if (name == null || !values.containsKey(name)) {
                    throw new IllegalArgumentException("unknown option '" + arg + "'; usage: [--port=8085]"
                            + " [--smtp-port=1025] [--webhook-secret=...] [--keep=500]");
                }
                values.put(name, arg.substring(eq + 1));
            }
            Options options;
            try {
                options = new Options(Integer.parseInt(values.get("port")), Integer.parseInt(values.get("smtp-port")),
                        values.get("webhook-secret"), Integer.parseInt(values.get("keep")));
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("--port, --smtp-port and --keep are numbers: " + ex.getMessage());
            }
            if (options.port() < 0 || options.port() > 65535 || options.smtpPort() < 0
                    || options.smtpPort() > 65535) {
                throw new IllegalArgumentException("--port and --smtp-port are 0-65535 (0: any free port)");
            }
            if (options.webhookSecret().isEmpty() || options.keep() < 1) {
                throw new IllegalArgumentException("--webhook-secret must not be empty and --keep must be at least 1");
            }
            return options;
        }
    }
}
