package dev.freight.openapi;

import static dev.freight.support.FreightApi.complete;
import static dev.freight.support.FreightApi.init;
import static dev.freight.support.FreightApi.initBody;
import static dev.freight.support.FreightApi.refresh;
import static dev.freight.support.FreightApi.urlOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.support.PartSender;
import dev.freight.upload.api.UploadResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * /q/openapi is the hand-written document, and it stays true: every JAX-RS endpoint is in it and nothing else,
 * every schema named after an API record lists exactly that record's JSON fields, and real answers have exactly the
 * documented fields.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final List<Class<? extends java.lang.annotation.Annotation>> HTTP_METHODS = List.of(GET.class,
            POST.class, PUT.class, DELETE.class, PATCH.class, HEAD.class);

    private JsonNode document;

    @BeforeEach
    void fetch() throws IOException {
        String json = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        document = new ObjectMapper().readTree(json);
    }

    @Test
    void servesTheFileAsYamlByDefaultAndTheSameDocumentAsJson() throws IOException {
        String file = Files.readString(Path.of("src/main/resources/META-INF/openapi.yaml"));
        String yaml = given().get("/q/openapi").then().statusCode(200).contentType("application/yaml")
                .extract().asString();
        assertThat(yaml).isEqualTo(file);
        JsonNode fromFile = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(file);
        assertThat(document).isEqualTo(fromFile);
        String byAccept = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .contentType("application/json").extract().asString();
        assertThat(new ObjectMapper().readTree(byAccept)).isEqualTo(fromFile);
        assertThat(fromFile.get("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void documentsExactlyTheEndpointsTheAppServes() throws Exception {
        Set<String> documented = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
        assertThat(documented).isEqualTo(servedEndpoints());
    }

    @Test
    void everyOperationDocumentsItsErrorsAsProblems() {
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            JsonNode responses = operation.getValue().get("responses");
            String where = operation.getKey() + " " + path.getKey();
            assertThat(responses.has("400")).as(where + " 400").isTrue();
            assertThat(responses.has("503")).as(where + " 503").isTrue();
            if (operation.getKey().equals("post")) {
                assertThat(responses.has("415")).as(where + " 415").isTrue();
                assertThat(operation.getValue().at("/requestBody/content/application~1json/examples").size())
                        .as(where + " request examples").isPositive();
            }
            if (path.getKey().contains("{file_id}") || operation.getKey().equals("post")
                    && !path.getKey().endsWith("/init")) {
                assertThat(responses.has("404")).as(where + " 404").isTrue();
            }
            responses.fields().forEachRemaining(response -> {
                JsonNode resolved = resolve(response.getValue());
                if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                    assertThat(resolved.at("/content/application~1problem+json/schema/$ref").asText())
                            .as(where + " " + response.getKey()).isEqualTo("#/components/schemas/Problem");
                }
            });
        }));
        assertThat(resolve(document.at("/paths/~1api~1upload~1init/post/responses/503"))
                .at("/headers/Retry-After").isMissingNode()).isFalse();
    }

    @Test
    void schemasListTheRecordsJsonFields() {
        Set<String> checked = new TreeSet<>();
        document.at("/components/schemas").fields().forEachRemaining(schema -> {
            Class<?> record = apiRecord(schema.getKey());
            if (record == null || schema.getKey().equals("Problem")) {
                return;
            }
            Set<String> fields = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                    .map(OpenApiContractTest::snakeCase).collect(Collectors.toCollection(TreeSet::new));
            assertThat(names(schema.getValue().get("properties"))).as(schema.getKey()).isEqualTo(fields);
            checked.add(schema.getKey());
        });
        assertThat(checked).contains("InitRequest", "InitResponse", "PartUrl", "RefreshUrlsRequest", "PartUrlsResponse",
                "CompleteRequest", "AbortRequest", "UploadStatusResponse", "UploadListResponse", "UploadSummary",
                "DownloadResponse", "FieldError");
    }

    @Test
    void realAnswersHaveExactlyTheDocumentedFields() {
        byte[] file = new byte[100];
        JsonPath started = init(initBody("doc.bin", file.length, null));
        assertFields(started, "InitResponse");
        assertFields(started.getMap("parts[0]"), "PartUrl");
        String fileId = started.getString("file_id");
        assertFields(refresh(fileId, null).then().statusCode(200).extract().jsonPath(), "PartUrlsResponse");
        PartSender.Answer sent = PartSender.put(urlOf(started, 1), Map.of(), file);
        JsonPath uploading = given().get("/api/upload/" + fileId).then().statusCode(200).extract().jsonPath();
        assertFields(uploading, "UploadStatusResponse");
        assertFields(uploading.getMap("uploaded_parts[0]"), "UploadedPart");
        assertFields(complete(fileId, Map.of(1, sent.etag())).then().statusCode(200).extract().jsonPath(),
                "UploadStatusResponse");
        assertFields(given().get("/api/download/" + fileId).then().statusCode(200).extract().jsonPath(),
                "DownloadResponse");
        JsonPath page = given().queryParam("author_name", "Ada").queryParam("limit", 1).get("/api/upload")
                .then().statusCode(200).extract().jsonPath();
        assertFields(page, "UploadListResponse");
        assertFields(page.getMap("uploads[0]"), "UploadSummary");

        JsonPath problem = given().contentType("application/json").body(Map.of("file_size", -1))
                .post("/api/upload/init").then().statusCode(400).contentType("application/problem+json")
                .extract().jsonPath();
        assertThat(problem.getMap("$").keySet()).isSubsetOf(names(schema("Problem").get("properties")));
        assertFields(problem.getMap("errors[0]"), "FieldError");
    }

    private void assertFields(JsonPath answer, String schemaName) {
        assertFields(answer.getMap("$"), schemaName);
    }

    private void assertFields(Map<String, Object> answer, String schemaName) {
        assertThat(new TreeSet<>(answer.keySet())).as(schemaName).isEqualTo(names(schema(schemaName).get("properties")));
    }

    private JsonNode schema(String name) {
        return document.at("/components/schemas/" + name);
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        Iterator<String> fields = object.fieldNames();
        fields.forEachRemaining(names::add);
        return names;
    }

    /** Method and path of every JAX-RS resource method in the application's classes. */
    private static Set<String> servedEndpoints() throws IOException, URISyntaxException {
        Path classes = Path.of(UploadResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> endpoints = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(candidate -> candidate.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, OpenApiContractTest.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError notLoadable) {
                    continue; // dev-only classes whose libraries are absent
                }
                jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
                if (root == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    for (Class<? extends java.lang.annotation.Annotation> http : HTTP_METHODS) {
                        if (method.isAnnotationPresent(http)) {
                            jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                            String path = ("/" + root.value() + "/" + (sub == null ? "" : sub.value()))
                                    .replaceAll("/+", "/");
                            path = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                            endpoints.add(http.getSimpleName() + " " + path);
                        }
                    }
                }
            }
        }
        assertThat(endpoints).isNotEmpty();
        return endpoints;
    }

    private static Class<?> apiRecord(String schemaName) {
        for (String pkg : List.of("dev.freight.upload.api.", "dev.freight.problem.")) {
            try {
                Class<?> type = Class.forName(pkg + schemaName);
                if (type.isRecord()) {
                    return type;
                }
            } catch (ClassNotFoundException absent) {
                // not a record of this package
            }
        }
        return null;
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
