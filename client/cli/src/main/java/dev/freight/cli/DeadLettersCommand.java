package dev.freight.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code freight dead-letters}: the operators' view of webhook deliveries that ran out of attempts (list, replay),
 * with the service's admin token, not a user's (docs/webhooks.md).
 */
@Command(name = "dead-letters", description = "Operators: list webhook deliveries that ran out of attempts, or replay "
        + "them (needs the service's admin token, env FREIGHT_ADMIN_TOKEN).")
final class DeadLettersCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:FREIGHT_SERVER:-http://localhost:8080}",
            description = "The Freight service (env FREIGHT_SERVER; default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "The service's freight.webhooks.admin-token (default: env FREIGHT_ADMIN_TOKEN).")
    String adminToken;

    @Option(names = "--replay", paramLabel = "DELIVERY", split = ",",
            description = "Replay these deliveries (as listed), comma-separated.")
    List<String> replay;

    @Option(names = "--replay-all", description = "Replay every dead letter.")
    boolean replayAll;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "List at most N, 1-1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the service's answer as JSON on standard output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String base = server.trim().replaceAll("/+$", "");
        if (!base.matches("(?i)https?://.+")) {
            throw usage("--server must be an http(s) URL, not '" + server + "'");
        }
        if (replay != null && replayAll) {
            throw usage("--replay and --replay-all exclude each other");
        }
        if (limit < 1 || limit > 1000) {
            throw usage("--limit must be 1..1000");
        }
        String token = adminToken != null ? adminToken : root().environment.get("FREIGHT_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            throw usage("the admin token is missing: --admin-token or env FREIGHT_ADMIN_TOKEN");
        }
        HttpRequest.Builder request;
        if (replay != null || replayAll) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (replayAll) {
                body.put("all", true);
            } else {
                body.put("deliveries", replay);
            }
            request = HttpRequest.newBuilder(URI.create(base + "/api/admin/webhooks/dead-letters/replay"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request = HttpRequest.newBuilder(URI.create(base + "/api/admin/webhooks/dead-letters?limit=" + limit))
                    .GET();
        }
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(request
                    .header("authorization", "Bearer " + token.trim()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException unreachable) {
            spec.commandLine().getErr().println("freight: " + base + " cannot be reached: " + unreachable);
            return ExitCode.UNREACHABLE;
        }
        if (answer.statusCode() != 200) {
            String detail = detailOf(answer.body());
            spec.commandLine().getErr().println("freight: the service answered " + answer.statusCode()
                    + (detail == null ? "" : ": " + detail));
            return answer.statusCode() >= 500 ? ExitCode.UNREACHABLE : ExitCode.REFUSED;
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonNode body = JSON.readTree(answer.body());
        if (json) {
            out.println(answer.body());
        } else if (body.has("replayed")) {
            out.println(body.get("replayed").asInt() + " replayed");
        } else {
            for (JsonNode dead : body.path("dead_letters")) {
                out.println(String.join("  ", dead.path("delivery").asText(), dead.path("type").asText(),
                        dead.path("endpoint").asText(), dead.path("attempts").asText() + " attempt(s)",
                        dead.path("dead_lettered_at").asText(), dead.path("last_error").asText("")));
            }
            if (body.path("dead_letters").isEmpty()) {
                out.println("No dead letters");
            }
        }
        return ExitCode.OK;
    }

    private FreightCommand root() {
        CommandLine line = spec.commandLine();
        while (line.getParent() != null) {
            line = line.getParent();
        }
        return line.getCommand();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static String detailOf(String problem) {
        try {
            JsonNode node = JSON.readTree(problem);
            return node != null && node.hasNonNull("detail") ? node.get("detail").asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
