package dev.mjpegrtp.app;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * Camel's health checks over HTTP, at Camel's paths, for probes such as Kubernetes' (under {@link #PATH} unless
 * {@code camel.management.healthPath} names another):
 * <ul>
 * <li>{@code GET /observe/health}: every check; 200 when all are UP, else 503.</li>
 * <li>{@code GET /observe/health/ready}: the readiness checks (the route controller, each route, each consumer and
 * producer); 200 when all are UP, else 503. A camera that is retrying makes the instance not ready.</li>
 * <li>{@code GET /observe/health/live}: the CamelContext's check only; 503 when it is not started. A camera's trouble
 * never makes the instance not live: a probe restarting the process for it would stop every other camera.</li>
 * </ul>
 * The body is JSON: {@code {"status":"DOWN","checks":[{"name":"route-controller","status":"DOWN","message":...,
 * "details":{...}}]}}, with the details of the checks that are not UP. Each answer is computed at most once a second
 * ({@link RecentAnswer}): a probe may see the checks as they were up to a second ago.
 */
final class HealthEndpoint implements ObserveEndpoint {

    static final String PATH = "/observe/health";
    private static final String CONTEXT_CHECK = "context";
    private static final String JSON = "application/json";

    private final CamelContext camelContext;
    private final String path;
    private final RecentAnswer all;
    private final RecentAnswer ready;
    private final RecentAnswer live;

    HealthEndpoint(CamelContext camelContext, String path) {
        this.camelContext = camelContext;
        this.path = path;
        this.all = new RecentAnswer(() -> {
            Collection<HealthCheck.Result> results = invoke(HealthCheck.Kind.ALL, check -> false);
            return answer(HealthCheckHelper.isResultsUp(results, true), results);
        });
        this.ready = new RecentAnswer(() -> {
            Collection<HealthCheck.Result> results = invoke(HealthCheck.Kind.READINESS, check -> !check.isReadiness());
            return answer(HealthCheckHelper.isResultsUp(results, true), results);
        });
        this.live = new RecentAnswer(() -> {
            Collection<HealthCheck.Result> results = invoke(HealthCheck.Kind.LIVENESS,
                    check -> !CONTEXT_CHECK.equals(check.getId()));
            return answer(HealthCheckHelper.isResultsUp(results, false) && !results.isEmpty(), results);
        });
    }

    @Override
    public ObserveAnswer answer(String requested, String accept) {
        if (requested.equals(path)) {
            return all.get();
        } else if (requested.equals(path + "/ready")) {
            return ready.get();
        } else if (requested.equals(path + "/live")) {
            return live.get();
        }
        return ObserveAnswer.notFound();
    }

    private static ObserveAnswer answer(boolean up, Collection<HealthCheck.Result> results) {
        return new ObserveAnswer(up ? 200 : 503, JSON, toJson(up, results).getBytes(StandardCharsets.UTF_8));
    }

    private Collection<HealthCheck.Result> invoke(HealthCheck.Kind kind, Predicate<HealthCheck> excluded) {
        return HealthCheckHelper.invoke(camelContext, check -> Map.of(HealthCheck.CHECK_KIND, kind), excluded, "full");
    }

    static String toJson(boolean up, Collection<HealthCheck.Result> results) {
        JsonArray checks = new JsonArray();
        for (HealthCheck.Result result : results) {
            JsonObject check = new JsonObject();
            check.put("name", result.getCheck().getId());
            check.put("status", result.getState().name());
            result.getMessage().ifPresent(message -> check.put("message", message));
            if (result.getState() != HealthCheck.State.UP) {
                JsonObject details = new JsonObject();
                result.getDetails().forEach((key, value) -> details.put(key,
                        value instanceof Number || value instanceof Boolean ? value : String.valueOf(value)));
                check.put("details", details);
            }
            checks.add(check);
        }
        JsonObject answer = new JsonObject();
        answer.put("status", up ? "UP" : "DOWN");
        answer.put("checks", checks);
        return answer.toJson();
    }
}
