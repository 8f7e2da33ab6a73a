package io.liftoff.infra.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.liftoff.infra.demo.DemoReceiver;

/**
 * The real platform for the end-to-end phase: Keycloak from the Maven-resolved distribution (started once, with the
 * realm imported into a fresh data folder) and the modules' jars as processes on free ports. A module whose jar is
 * missing or does not become healthy is reported as unavailable (with its log) instead of failing the phase; the
 * scenarios that need it are skipped with that reason.
 */
final class Platform implements AutoCloseable {

    static final String ADMIN_USER = "e2e-admin";

    static final String ADMIN_PASSWORD = "e2e-admin-password";

    private static final Duration KEYCLOAK_START = Duration.ofSeconds(420);

    private static final Duration SERVICE_START = Duration.ofSeconds(240);

    private static final String JAVA_OPTS = "-Xmx128m -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1";

    private final Path work = Path.of(System.getProperty("liftoff.e2e.work", "target/e2e")).toAbsolutePath();

    private final Path modules = Path.of(System.getProperty("liftoff.e2e.modules", "..")).toAbsolutePath();

    private final String version = System.getProperty("liftoff.e2e.version", "0.1.0-SNAPSHOT");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Map<String, Integer> ports = new LinkedHashMap<>();

    private DemoReceiver receiver;

    private final Map<String, Process> processes = new LinkedHashMap<>();

    private final Map<String, String> unavailable = new java.util.concurrent.ConcurrentHashMap<>();

    private int keycloakPort;

    /** Why the Keycloak distribution is not there (the phase is skipped with this), or null. */
    static String missingDistribution() {
        String zip = System.getProperty("liftoff.e2e.keycloak.zip");
        if (zip == null || !Files.isRegularFile(Path.of(zip))) {
            return "The Keycloak distribution was not resolved (" + zip + "); run the phase with ./mvnw verify, "
                    + "which gets org.keycloak:keycloak-quarkus-dist through Maven";
        }
        return null;
    }

    void start(List<String> services) throws Exception {
        // Also when the test JVM is stopped early (Ctrl-C on Maven): no process outlives the phase.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "e2e-platform-stop"));
        Files.createDirectories(work.resolve("logs"));
        deleteRecursively(work.resolve("data"));
        if (services.contains("notification-service")) {
            // What infra/liftoff starts beside notification-service: the inbox its channels point at.
            receiver = new DemoReceiver(new DemoReceiver.Options(0, 0, DemoReceiver.DEMO_WEBHOOK_SECRET, 500),
                    Clock.systemUTC());
        }
        keycloakPort = freePort();
        for (String service : services) {
            ports.put(service, freePort());
        }
        Process keycloak = startKeycloak();
        for (String service : services) {
            startService(service);
        }
        CompletableFuture<Void> keycloakUp = CompletableFuture.runAsync(() -> awaitUp("keycloak", keycloak,
                URI.create(keycloakUrl() + "/realms/liftoff"), KEYCLOAK_START, "\"realm\":\"liftoff\""));
        List<CompletableFuture<Void>> servicesUp = new ArrayList<>();
        for (String service : services) {
            Process process = processes.get(service);
            if (process == null) {
                continue;
            }
            servicesUp.add(CompletableFuture.runAsync(() -> {
                try {
                    awaitUp(service, process, URI.create(url(service) + "/actuator/health"), SERVICE_START,
                            "\"status\":\"UP\"");
                }
                catch (IllegalStateException ex) {
                    unavailable.put(service, ex.getMessage());
                    process.destroyForcibly();
                }
            }));
        }
        keycloakUp.join();
        CompletableFuture.allOf(servicesUp.toArray(CompletableFuture[]::new)).join();
    }

    String keycloakUrl() {
        return "http://localhost:" + keycloakPort;
    }

    String issuer() {
        return keycloakUrl() + "/realms/liftoff";
    }

    String url(String service) {
        return "http://localhost:" + ports.get(service);
    }

    /** The demo receiver (its inbox and hooks), when notification-service is part of the run. */
    String receiverUrl() {
        return "http://localhost:" + receiver.httpPort();
    }

    boolean isUp(String service) {
        return processes.containsKey(service) && !unavailable.containsKey(service);
    }

    /** Why a module is not part of this run (for the skip message). */
    String whyUnavailable(String service) {
        return unavailable.getOrDefault(service, service + " was not started");
    }

    /** Takes a running module out of the scenarios (it answers, but not yet as they need). */
    void markUnavailable(String service, String why) {
        unavailable.put(service, why);
    }

    Map<String, String> unavailable() {
        return Map.copyOf(unavailable);
    }

    Path log(String name) {
        return work.resolve("logs").resolve(name + ".log");
    }

    private Process startKeycloak() throws IOException {
        Path home = unpackKeycloak();
        Path data = home.resolve("data");
        deleteRecursively(data);
        Files.createDirectories(data.resolve("import"));
        Files.copy(Path.of("keycloak/liftoff-realm.json"), data.resolve("import/liftoff-realm.json"),
                StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + keycloakPort, "--hostname=" + keycloakUrl(), "--import-realm");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        Process process = launch("keycloak", builder);
        processes.put("keycloak", process);
        return process;
    }

    /** The distribution unpacked once under target/e2e (kept between runs while target/ lives). */
    private Path unpackKeycloak() throws IOException {
        String version = System.getProperty("liftoff.e2e.keycloak.version", "26.7.3");
        Path root = work.resolve("keycloak");
        Path home = root.resolve("keycloak-" + version);
        Path done = root.resolve(".unpacked");
        if (Files.exists(done) && Files.exists(home.resolve("bin/kc.sh"))) {
            return home;
        }
        deleteRecursively(root);
        Files.createDirectories(root);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(
                Path.of(System.getProperty("liftoff.e2e.keycloak.zip"))))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("Zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                }
                else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.createFile(done);
        return home;
    }

    private void startService(String service) throws IOException {
        Path jar = modules.resolve(service).resolve("target").resolve(service + "-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            unavailable.put(service, service + " has no jar at " + jar);
            return;
        }
        // A copy: a module rebuilt while the phase runs would otherwise pull classes out from under the process.
        Path copy = work.resolve("jars").resolve(service + ".jar");
        Files.createDirectories(copy.getParent());
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        jar = copy;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(JAVA_OPTS.split(" ")));
        command.add("-Dliftoff.component=" + service);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("PORT", String.valueOf(ports.get(service)));
        env.put("LIFTOFF_DATA_DIR", work.resolve("data").toString());
        env.put("LIFTOFF_ISSUER_URI", issuer());
        for (String other : List.of("checklist", "signoff", "monitoring", "notification")) {
            Integer port = ports.get(other + "-service");
            if (port != null) {
                env.put("LIFTOFF_" + other.toUpperCase() + "_URL", "http://localhost:" + port);
            }
        }
        Integer notification = ports.get("notification-service");
        env.put("LIFTOFF_EVENTS_URL", "http://localhost:" + (notification != null ? notification : freePort())
                + "/api/events");
        if (service.equals("notification-service") && receiver != null) {
            // As infra/liftoff does: the demo receiver's port is the one loopback address webhooks may reach.
            env.put("LIFTOFF_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1:" + receiver.httpPort() + ",localhost:"
                    + receiver.httpPort());
            env.put("LIFTOFF_SMTP_HOST", "localhost");
            env.put("LIFTOFF_SMTP_PORT", String.valueOf(receiver.smtpPort()));
        }
        if (service.equals("gateway")) {
            // Generous route timeouts: the phase checks the platform's behaviour, not its speed on a busy CI machine
            // (the gateway's own tests cover its timeouts).
            env.put("LIFTOFF_CHECKLIST_TIMEOUT", "60s");
            env.put("LIFTOFF_ROUTE_TIMEOUT", "30s");
        }
        else {
            env.put("LIFTOFF_TOKEN_URI", issuer() + "/protocol/openid-connect/token");
            env.put("LIFTOFF_CLIENT_ID", service);
            env.put("LIFTOFF_CLIENT_SECRET", "demo-" + service + "-secret");
        }
        processes.put(service, launch(service, builder));
    }

    private Process launch(String name, ProcessBuilder builder) throws IOException {
        builder.redirectErrorStream(true).redirectOutput(log(name).toFile());
        return builder.start();
    }

    private void awaitUp(String name, Process process, URI probe, Duration limit, String expected) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start-up; log: "
                        + log(name));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(probe)
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains(expected)) {
                    return;
                }
            }
            catch (IOException ex) {
                // not listening yet
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ex);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException(name + " was not healthy within " + limit.toSeconds() + " s; log: " + log(name));
    }

    @Override
    public synchronized void close() {
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        for (String name : names) {
            Process process = processes.get(name);
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (String name : names) {
            Process process = processes.get(name);
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        processes.clear();
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
    }

    /**
     * A port free now, below the system's range of ephemeral ports (32768-60999 on Linux, 49152-65535 elsewhere).
     * Keycloak binds its port about a minute after it is picked; a port from the ephemeral range (as
     * {@code new ServerSocket(0)} gives) can meanwhile be handed to any outgoing connection of the phase's processes,
     * and once was: Keycloak failed with "Port already bound".
     */
    static int freePort() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new java.net.InetSocketAddress(port));
                return port;
            }
            catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 after 200 tries");
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    static String resource(String path) throws IOException {
        try (InputStream in = Platform.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("No test resource " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
