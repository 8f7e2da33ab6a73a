package io.liftoff.infra.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files cannot run here (no Docker engine, no cluster): this checks that every YAML file parses and
 * holds what operations rely on. {@code infra/scripts/validate-config.sh} adds promtool and kustomize where present.
 */
class DeploymentConfigTest {

    static final List<String> SERVICES = List.of("checklist-service", "signoff-service", "monitoring-service",
            "notification-service");

    @Test
    void everyYamlFileUnderInfraParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Stream.of("prometheus", "alertmanager", "k8s").map(Path::of)
                .flatMap(DeploymentConfigTest::walk)) {
            files = walk.filter(path -> path.toString().endsWith(".yml") || path.toString().endsWith(".yaml"))
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(9);
        for (Path file : files) {
            assertThat(documents(file)).as(file.toString()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "checklist-service", "signoff-service", "monitoring-service",
            "notification-service"})
    void eachComponentRunsReplicatedWithProbesResourcesAndANonRootUser(String name) throws IOException {
        List<Map<String, Object>> documents = documents(Path.of("k8s", name + ".yaml"));
        Map<String, Object> deployment = kind(documents, "Deployment");
        Map<String, Object> spec = map(deployment, "spec");
        assertThat((Integer) spec.get("replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        Map<String, Object> container = list(pod, "containers").get(0);
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/actuator/health/readiness");
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/actuator/health/liveness");
        assertThat(map(map(container, "resources"), "requests")).containsKeys("cpu", "memory");
        assertThat(map(map(container, "resources"), "limits")).containsKey("memory");
        assertThat(kind(documents, "Service")).isNotNull();
        assertThat(kind(documents, "PodDisruptionBudget")).isNotNull();
    }

    @Test
    void eachServiceReadsItsMongoReplicaSetUriFromTheSecret() throws IOException {
        Map<String, Object> secret = kind(documents(Path.of("k8s", "config.yaml")), "Secret");
        for (String service : SERVICES) {
            Map<String, Object> container = list(map(map(map(kind(documents(Path.of("k8s", service + ".yaml")),
                    "Deployment"), "spec"), "template"), "spec"), "containers").get(0);
            Map<String, Object> mongo = list(container, "env").stream()
                    .filter(env -> "SPRING_MONGODB_URI".equals(env.get("name"))).findFirst().orElseThrow();
            Map<String, Object> ref = map(map(mongo, "valueFrom"), "secretKeyRef");
            assertThat(ref).containsEntry("name", "liftoff-secrets").containsEntry("key", service + "-mongodb-uri");
            assertThat((String) map(secret, "stringData").get(service + "-mongodb-uri")).contains("replicaSet=");
        }
    }

    @Test
    void alertRulesCoverServiceDownServerErrorsAndSlowRequests() throws IOException {
        Map<String, Object> rules = documents(Path.of("prometheus", "alert-rules.yml")).get(0);
        List<String> alerts = new ArrayList<>();
        for (Map<String, Object> group : list(rules, "groups")) {
            for (Map<String, Object> rule : list(group, "rules")) {
                assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
                alerts.add((String) rule.get("alert"));
            }
        }
        assertThat(alerts).contains("LiftoffServiceDown", "LiftoffHighServerErrorRate", "LiftoffSlowRequests");
        Map<String, Object> prometheus = documents(Path.of("prometheus", "prometheus.yml")).get(0);
        assertThat(prometheus.get("rule_files")).isEqualTo(List.of("alert-rules.yml"));
    }

    @Test
    void alertmanagerSendsToMonitoringServicesWebhookWithAToken() throws IOException {
        Map<String, Object> config = documents(Path.of("alertmanager", "alertmanager.yml")).get(0);
        Map<String, Object> receiver = list(config, "receivers").get(0);
        Map<String, Object> webhook = list(receiver, "webhook_configs").get(0);
        assertThat((String) webhook.get("url")).endsWith("/api/alertmanager/webhook");
        assertThat(map(map(webhook, "http_config"), "oauth2")).containsEntry("client_id", "alertmanager")
                .containsKey("client_secret_file");
    }

    @Test
    void dockerfileRunsAJava17RuntimeAsANonRootUser() throws IOException {
        String dockerfile = Files.readString(Path.of("docker", "Dockerfile"));
        assertThat(dockerfile).contains("ARG JAVA_IMAGE=eclipse-temurin:17-jre").contains("ARG MODULE")
                .containsPattern("(?m)^USER 10001");
    }

    private static Stream<Path> walk(Path directory) {
        try {
            return Files.walk(directory).filter(Files::isRegularFile).toList().stream();
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    private static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(document -> kind.equals(document.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }
}
