package dev.freight.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the hand-written OpenAPI document, {@code META-INF/openapi.yaml}, at {@value #PATH}: as YAML by default,
 * as JSON for {@code ?format=json} or a caller that accepts {@code application/json} (and not YAML), as Quarkus'
 * OpenAPI extension answered. That extension parsed, filtered and serialised the document again at every start
 * (~17 % of the start-up thread, docs/BENCHMARKS.md): here the file is read on the first request and the JSON form
 * made from it on the first request that asks for JSON. Not a JAX-RS resource, so it is no API endpoint.
 */
@Singleton
public class OpenApiDocument {

    static final String PATH = "/q/openapi";
    static final String RESOURCE = "META-INF/openapi.yaml";
    static final String YAML = "application/yaml;charset=UTF-8";
    static final String JSON = "application/json;charset=UTF-8";

    private volatile Buffer yaml;
    private volatile Buffer json;

    void register(@Observes Router router) {
        router.get(PATH).blockingHandler(this::handle, false);
    }

    private void handle(RoutingContext context) {
        boolean asJson = wantsJson(context.request().getParam("format"), context.request().getHeader("Accept"));
        context.response().putHeader("Content-Type", asJson ? JSON : YAML).end(asJson ? json() : yaml());
    }

    /** The query parameter decides; without it, JSON only for a caller that accepts JSON and not YAML. */
    static boolean wantsJson(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return format.equalsIgnoreCase("json");
        }
        String accepted = accept == null ? "" : accept.toLowerCase(java.util.Locale.ROOT);
        return accepted.contains("application/json") && !accepted.contains("yaml");
    }

    Buffer yaml() {
        Buffer known = yaml;
        if (known == null) {
            known = Buffer.buffer(read());
            yaml = known;
        }
        return known;
    }

    Buffer json() {
        Buffer known = json;
        if (known == null) {
            try {
                known = Buffer.buffer(new ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(new YAMLMapper().readTree(yaml().getBytes())));
            } catch (IOException invalid) {
                throw new UncheckedIOException(RESOURCE + " is not valid YAML", invalid);
            }
            json = known;
        }
        return known;
    }

    private static byte[] read() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
