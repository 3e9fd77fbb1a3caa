package dev.mjpegrtp.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.ServiceStatus;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The manifests of deploy/kubernetes as a user applies them (no cluster runs here): each a well-formed Kubernetes
 * object; the Deployment's probes on the port and paths the app serves its health checks at; the cameras of the
 * ConfigMap mounted where the app loads them, and a route file the app starts; the ZooKeeper service the instances
 * meet on, each by its pod name; the scrape annotations on the metrics the app serves; and every camel.* and mjpegrtp.*
 * property they set one the app reads.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("../deploy/kubernetes");
    private static final Pattern SYSTEM_PROPERTY = Pattern.compile("-D([^=]+)=(.*)");
    /** The single ZooKeeper server to try the manifests with, applied on its own. */
    private static final Path ZOOKEEPER_DIR = DIR.resolve("zookeeper");

    private static Map<String, Map<String, Object>> objects;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        objects = new HashMap<>();
        List<String> files;
        try (Stream<Path> paths = Files.list(DIR)) {
            files = paths.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".yaml")).sorted()
                    .collect(Collectors.toList());
        }
        Load yaml = new Load(LoadSettings.builder().build());
        for (String file : files) {
            for (Object document : yaml.loadAllFromString(Files.readString(DIR.resolve(file)))) {
                Map<String, Object> object = map(document);
                assertThat(object).as(file).containsKeys("apiVersion", "kind");
                if (!"Kustomization".equals(object.get("kind"))) {
                    assertThat(map(object.get("metadata")).get("name")).as(file + " metadata.name").isNotNull();
                }
                assertThat(objects.put((String) object.get("kind"), object)).as("one " + object.get("kind")).isNull();
            }
        }
        assertThat(objects.keySet()).containsExactlyInAnyOrder("Kustomization", "ConfigMap", "Deployment");
        List<String> listed = new ArrayList<>(list(objects.get("Kustomization").get("resources")).stream()
                .map(String.class::cast).toList());
        listed.add("kustomization.yaml");
        assertThat(listed).as("the kustomization lists every manifest").containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void apiVersionsAreTheServedOnes() {
        assertThat(objects.get("Deployment").get("apiVersion")).isEqualTo("apps/v1");
        assertThat(objects.get("ConfigMap").get("apiVersion")).isEqualTo("v1");
    }

    @Test
    void probesAskTheHealthPortAndPathsTheAppServes() {
        Map<String, Object> container = container();
        Map<String, String> properties = systemProperties(container);
        assertThat(properties).containsEntry("camel.management.enabled", "true")
                .containsEntry("camel.management.host", "0.0.0.0")
                .containsEntry("camel.management.healthCheckEnabled", "true");
        int healthPort = Integer.parseInt(properties.get("camel.management.port"));
        assertThat(containerPort(container, "health")).isEqualTo(healthPort);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> httpGet = map(map(container.get(probe)).get("httpGet"));
            assertThat(httpGet.get("port")).as(probe + " port").isEqualTo("health");
            assertThat(httpGet.get("path")).as(probe + " path").isEqualTo(HealthEndpoint.PATH
                    + (probe.equals("readinessProbe") ? "/ready" : "/live"));
        }
    }

    @Test
    void theScrapeAnnotationsNameTheMetricsTheAppServes() {
        Map<String, Object> container = container();
        Map<String, String> properties = systemProperties(container);
        assertThat(properties).containsEntry("camel.management.metricsEnabled", "true");
        Map<String, Object> annotations = map(map(map(map(objects.get("Deployment").get("spec")).get("template"))
                .get("metadata")).get("annotations"));
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", properties.get("camel.management.port"))
                .containsEntry("prometheus.io/path", MetricsEndpoint.PATH);
    }

    @Test
    void theContainerRunsTheJarTheImageHolds() throws IOException {
        Map<String, Object> container = container();
        assertThat(list(container.get("command"))).containsExactly("java");
        List<Object> args = list(container.get("args"));
        assertThat(args.get(0)).isEqualTo("@/opt/mjpeg-rtp/jvm.options");
        assertThat(args.subList(args.size() - 2, args.size())).containsExactly("-jar", "/opt/mjpeg-rtp/mjpeg-rtp.jar");
        assertThat(Files.readString(DIR.resolve("../Dockerfile")))
                .contains("COPY routes/target/mjpeg-rtp.jar routes/jvm.options /opt/mjpeg-rtp/");
        Set<String> env = list(container.get("env")).stream().map(variable -> (String) map(variable).get("name"))
                .collect(Collectors.toSet());
        Matcher reference = Pattern.compile("\\$\\((\\w+)\\)").matcher(String.join(" ", args.stream().map(String::valueOf).toList()));
        while (reference.find()) {
            assertThat(env).as("variables the arguments refer to").contains(reference.group(1));
        }
        Map<String, Object> deployment = objects.get("Deployment");
        Map<String, Object> spec = map(deployment.get("spec"));
        assertThat((Integer) spec.get("replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> podLabels = map(map(map(spec.get("template")).get("metadata")).get("labels"));
        assertThat(podLabels).containsAllEntriesOf(map(map(spec.get("selector")).get("matchLabels")));
    }

    @Test
    void theInstancesMeetOnTheZooKeeperServiceEachByItsPodName() throws IOException {
        Map<String, Object> container = container();
        Map<String, String> properties = systemProperties(container);
        assertThat(properties).containsEntry("mjpegrtp.cluster.zookeeper.enabled", "true")
                .containsEntry("mjpegrtp.cluster.zookeeper.id", "$(POD_NAME)");
        Map<String, Object> podName = list(container.get("env")).stream().map(KubernetesManifestsTest::map)
                .filter(variable -> "POD_NAME".equals(variable.get("name"))).findFirst().orElseThrow();
        assertThat(map(map(podName.get("valueFrom")).get("fieldRef")).get("fieldPath")).isEqualTo("metadata.name");

        Load yaml = new Load(LoadSettings.builder().build());
        Map<String, Map<String, Object>> trial = new HashMap<>();
        for (Object document : yaml.loadAllFromString(Files.readString(ZOOKEEPER_DIR.resolve("zookeeper.yaml")))) {
            trial.put((String) map(document).get("kind"), map(document));
        }
        assertThat(list(map(yaml.loadFromString(Files.readString(ZOOKEEPER_DIR.resolve("kustomization.yaml"))))
                .get("resources"))).containsExactly("zookeeper.yaml");
        Map<String, Object> service = trial.get("Service");
        Map<String, Object> port = map(list(map(service.get("spec")).get("ports")).get(0));
        assertThat(properties.get("mjpegrtp.cluster.zookeeper.connectString"))
                .isEqualTo(map(service.get("metadata")).get("name") + ":" + port.get("port"));
        Map<String, Object> server = map(list(map(map(map(trial.get("Deployment").get("spec")).get("template"))
                .get("spec")).get("containers")).get(0));
        assertThat(containerPort(server, (String) port.get("targetPort"))).isEqualTo(port.get("port"));
        assertThat(list(server.get("env"))).as("ticks of 1 s, so that the app's 3 s sessions are granted")
                .contains(Map.of("name", "ZOO_TICK_TIME", "value", "1000"));
    }

    @Test
    void everyPropertySetIsOneTheAppReads() throws IOException {
        Set<String> camelMain = camelMainPropertyNames();
        Set<String> app = appPropertyNames();
        for (String name : systemProperties(container()).keySet()) {
            if (name.startsWith("camel.")) {
                assertThat(camelMain).as("camel-main reads " + name).contains(name.toLowerCase(Locale.ROOT));
            } else {
                assertThat(app).as("the app reads " + name).contains(name);
            }
        }
    }

    @Test
    void theCamerasAreARouteFileTheAppStreams() throws Exception {
        Map<String, Object> container = container();
        Map<String, Object> mount = map(list(container.get("volumeMounts")).get(0));
        Map<String, Object> volume = map(list(map(map(map(objects.get("Deployment").get("spec")).get("template"))
                .get("spec")).get("volumes")).get(0));
        assertThat(volume.get("name")).isEqualTo(mount.get("name"));
        assertThat(map(volume.get("configMap")).get("name"))
                .isEqualTo(map(objects.get("ConfigMap").get("metadata")).get("name"));
        Map<String, Object> data = map(objects.get("ConfigMap").get("data"));
        String routesFile = systemProperties(container).get("camel.main.routesIncludePattern");
        assertThat(routesFile).isEqualTo("file:" + mount.get("mountPath") + "/cameras.yaml");

        Path cameras = Files.writeString(dir.resolve("cameras.yaml"), (String) data.get("cameras.yaml"));
        int port = LocalPorts.freeRtpPort();
        Map<String, String> properties = new HashMap<>(Map.of("camel.main.routesIncludePattern", "file:" + cameras,
                "cameras.host", "127.0.0.1", "cameras.port1", String.valueOf(port)));
        properties.put("cameras.port2", String.valueOf(LocalPorts.freeRtpPort()));
        properties.put("cameras.port3", String.valueOf(LocalPorts.freeRtpPort()));
        try (RtpFrameCounter frames = new RtpFrameCounter(port); RunningApp app = new RunningApp(properties)) {
            frames.start();
            assertThat(app.context().getRoutes()).hasSize(3);
            app.context().getRoutes().forEach(route -> assertThat(
                    app.context().getRouteController().getRouteStatus(route.getId())).isEqualTo(ServiceStatus.Started));
            await().atMost(10, TimeUnit.SECONDS).until(() -> frames.frames() >= 10);
        }
    }

    private static Map<String, Object> container() {
        Map<String, Object> podSpec = map(map(map(objects.get("Deployment").get("spec")).get("template")).get("spec"));
        List<Object> containers = list(podSpec.get("containers"));
        assertThat(containers).hasSize(1);
        Map<String, Object> container = map(containers.get(0));
        assertThat(container).containsKeys("name", "image");
        return container;
    }

    private static int containerPort(Map<String, Object> container, String name) {
        return list(container.get("ports")).stream().map(KubernetesManifestsTest::map)
                .filter(port -> name.equals(port.get("name"))).map(port -> (Integer) port.get("containerPort"))
                .findFirst().orElseThrow(() -> new AssertionError("no container port " + name));
    }

    private static Map<String, String> systemProperties(Map<String, Object> container) {
        Map<String, String> properties = new HashMap<>();
        for (Object arg : list(container.get("args"))) {
            Matcher property = SYSTEM_PROPERTY.matcher((String) arg);
            if (property.matches()) {
                properties.put(property.group(1), property.group(2));
            }
        }
        return properties;
    }

    /** The names camel-main configures, lower case: it binds them whatever their case. */
    private static Set<String> camelMainPropertyNames() throws IOException {
        try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream("/META-INF/camel-main-configuration-metadata.json");
                Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            JsonObject metadata = (JsonObject) Jsoner.deserialize(reader);
            return ((JsonArray) metadata.get("properties")).stream()
                    .map(property -> ((JsonObject) property).getString("name").toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
        } catch (org.apache.camel.util.json.DeserializationException e) {
            throw new IOException(e);
        }
    }

    /**
     * The mjpegrtp.* names the app reads: the keys of its application.properties and the names its code resolves,
     * written whole ({@code "mjpegrtp.health.port"}) or as a prefix and the names after it in the same class.
     */
    private static Set<String> appPropertyNames() throws IOException {
        Set<String> names = new TreeSet<>();
        Properties defaults = new Properties();
        try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        defaults.stringPropertyNames().stream().filter(name -> name.startsWith("mjpegrtp.")).forEach(names::add);
        Pattern literal = Pattern.compile("\"([\\w.]+)\"");
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                List<String> literals = new ArrayList<>();
                Matcher matcher = literal.matcher(Files.readString(source));
                while (matcher.find()) {
                    literals.add(matcher.group(1));
                }
                for (String name : literals) {
                    if (name.startsWith("mjpegrtp.") && name.endsWith(".")) {
                        literals.stream().filter(suffix -> !suffix.contains(".")).forEach(suffix -> names.add(name + suffix));
                    } else if (name.startsWith("mjpegrtp.")) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
