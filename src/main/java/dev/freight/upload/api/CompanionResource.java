package dev.freight.upload.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.model.PostForm;
import dev.freight.upload.model.SignedUrl;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.service.ClaimedPart;
import dev.freight.upload.service.CompanionCapabilities;
import dev.freight.upload.service.CompanionUploads;

/**
 * The routes Uppy's S3 plugin calls in Companion mode (the protocol of {@code @uppy/companion}'s S3 controller), so
 * an Uppy app that only points {@code companionEndpoint} (Uppy 6) or {@code endpoint} (Uppy 5) here uploads through
 * Freight. Two bases serve the same routes: {@code /companion} (the caller's bearer token, or anyone with
 * authentication off) and {@code /companion/c/{capability}} (a capability issued to the host app's backend, for
 * Uppy 6, which sends no {@code Authorization} header). Answers use Companion's field names; errors are problems.
 */
@Path("/companion")
@Produces(MediaType.APPLICATION_JSON)
public class CompanionResource {

    private static final String CAPABILITY_BASE = "/companion/c/";
    private static final Pattern PART_NUMBER = Pattern.compile("[1-9][0-9]{0,4}");
    private static final int MAX_COMPLETE_PARTS = 10_000;

    /** Whose uploads a request works on, and the author its new uploads get. */
    private record Who(String owner, String author) {
    }

    private final CompanionUploads uploads;
    private final CompanionCapabilities capabilities;
    private final Caller caller;
    private final ObjectMapper json;

    CompanionResource(CompanionUploads uploads, CompanionCapabilities capabilities, Caller caller, ObjectMapper json) {
        this.uploads = uploads;
        this.capabilities = capabilities;
        this.caller = caller;
        this.json = json;
    }

    /** Whether a request path names a capability (then it needs no bearer token). */
    static boolean carriesCapability(String path) {
        return path.startsWith(CAPABILITY_BASE);
    }

    @POST
    @Path("s3/multipart")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, String> start(byte[] body) {
        return start(who(null), body);
    }

    @POST
    @Path("c/{capability}/s3/multipart")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, String> start(@PathParam("capability") String capability, byte[] body) {
        return start(who(capability), body);
    }

    @GET
    @Path("s3/multipart/{uploadId}/{partNumber}")
    public Map<String, Object> signPart(@PathParam("uploadId") String uploadId,
            @PathParam("partNumber") String partNumber, @QueryParam("key") String key) {
        return signPart(who(null), uploadId, partNumber, key);
    }

    @GET
    @Path("c/{capability}/s3/multipart/{uploadId}/{partNumber}")
    public Map<String, Object> signPart(@PathParam("capability") String capability,
            @PathParam("uploadId") String uploadId, @PathParam("partNumber") String partNumber,
            @QueryParam("key") String key) {
        return signPart(who(capability), uploadId, partNumber, key);
    }

    @GET
    @Path("s3/multipart/{uploadId}")
    public List<Map<String, Object>> parts(@PathParam("uploadId") String uploadId, @QueryParam("key") String key) {
        return parts(who(null), uploadId, key);
    }

    @GET
    @Path("c/{capability}/s3/multipart/{uploadId}")
    public List<Map<String, Object>> parts(@PathParam("capability") String capability,
            @PathParam("uploadId") String uploadId, @QueryParam("key") String key) {
        return parts(who(capability), uploadId, key);
    }

    @POST
    @Path("s3/multipart/{uploadId}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(@PathParam("uploadId") String uploadId, @QueryParam("key") String key, byte[] body) {
        return complete(who(null), uploadId, key, body);
    }

    @POST
    @Path("c/{capability}/s3/multipart/{uploadId}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(@PathParam("capability") String capability, @PathParam("uploadId") String uploadId,
            @QueryParam("key") String key, byte[] body) {
        return complete(who(capability), uploadId, key, body);
    }

    @DELETE
    @Path("s3/multipart/{uploadId}")
    public Map<String, Object> abort(@PathParam("uploadId") String uploadId, @QueryParam("key") String key) {
        return abort(who(null), uploadId, key);
    }

    @DELETE
    @Path("c/{capability}/s3/multipart/{uploadId}")
    public Map<String, Object> abort(@PathParam("capability") String capability,
            @PathParam("uploadId") String uploadId, @QueryParam("key") String key) {
        return abort(who(capability), uploadId, key);
    }

    @GET
    @Path("s3/params")
    public Map<String, Object> postForm(@QueryParam("filename") String filename, @QueryParam("type") String type,
            @Context UriInfo uri) {
        return postForm(who(null), filename, type, uri);
    }

    @GET
    @Path("c/{capability}/s3/params")
    public Map<String, Object> postForm(@PathParam("capability") String capability,
            @QueryParam("filename") String filename, @QueryParam("type") String type, @Context UriInfo uri) {
        return postForm(who(capability), filename, type, uri);
    }

    private Map<String, String> start(Who who, byte[] body) {
        JsonNode request = parse(body);
        CompanionFile file = new CompanionFile(text(request, "filename"), text(request, "type"),
                metadata(request.get("metadata")));
        FieldChecks.body(file).throwIfAny();
        Upload upload = uploads.start(who.owner(), who.author(), file.filename(), file.type(), file.metadata());
        return Map.of("key", upload.objectKey(), "uploadId", upload.uploadId());
    }

    private Map<String, Object> signPart(Who who, String uploadId, String partNumber, String key) {
        requireKey(key);
        if (!PART_NUMBER.matcher(partNumber).matches()) {
            throw invalid("partNumber", "must be a number between 1 and 10000");
        }
        SignedUrl url = uploads.signPart(who.owner(), key, uploadId, Integer.parseInt(partNumber));
        return Map.of("url", url.url(), "expires", secondsUntil(url.expiresAt()));
    }

    private List<Map<String, Object>> parts(Who who, String uploadId, String key) {
        requireKey(key);
        List<Map<String, Object>> parts = new ArrayList<>();
        for (StoredPart part : uploads.parts(who.owner(), key, uploadId)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("PartNumber", part.partNumber());
            entry.put("Size", part.size());
            entry.put("ETag", part.etag());
            parts.add(entry);
        }
        return parts;
    }

    private Response complete(Who who, String uploadId, String key, byte[] body) {
        requireKey(key);
        JsonNode parts = parse(body).get("parts");
        if (parts == null || !parts.isArray() || parts.isEmpty() || parts.size() > MAX_COMPLETE_PARTS) {
            throw invalid("parts", "must be an array of 1 to 10000 {PartNumber, ETag} objects");
        }
        List<ClaimedPart> claimed = new ArrayList<>(parts.size());
        for (int index = 0; index < parts.size(); index++) {
            JsonNode part = parts.get(index);
            JsonNode number = part.get("PartNumber");
            JsonNode etag = part.get("ETag");
            if (number == null || !number.canConvertToInt() || !number.isIntegralNumber() || etag == null
                    || !etag.isTextual() || etag.asText().length() > 1024) {
                throw invalid("parts[" + index + "]", "must be an object with a PartNumber and an ETag");
            }
            claimed.add(new ClaimedPart(number.intValue(), etag.asText(), null));
        }
        Upload upload = uploads.complete(who.owner(), key, uploadId, claimed);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("location", upload.pathUrl());
        answer.put("key", upload.objectKey());
        // 202 while storage still assembles the file (Uppy counts it done; status tells when it is).
        return Response.status(upload.status() == UploadStatus.UPLOADED ? 200 : 202).entity(answer).build();
    }

    private Map<String, Object> abort(Who who, String uploadId, String key) {
        requireKey(key);
        uploads.abort(who.owner(), key, uploadId);
        return Map.of();
    }

    private Map<String, Object> postForm(Who who, String filename, String type, UriInfo uri) {
        Map<String, String> metadata = new TreeMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (name.startsWith("metadata[") && name.endsWith("]") && !values.isEmpty()) {
                metadata.put(name.substring("metadata[".length(), name.length() - 1), values.get(0));
            }
        });
        CompanionFile file = new CompanionFile(filename, type, metadata);
        FieldChecks.body(file).throwIfAny();
        PostForm form = uploads.startBrowserPost(who.owner(), who.author(), filename, type, metadata);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("method", "POST");
        answer.put("url", form.url());
        answer.put("fields", form.fields());
        answer.put("expires", secondsUntil(form.expiresAt()));
        return answer;
    }

    /** The owner from the capability in the path, else from the bearer token (or anonymous, authentication off). */
    private Who who(String capability) {
        if (capability != null) {
            CompanionCapabilities.Holder holder = capabilities.verify(capability);
            return new Who(holder.owner(), holder.name() != null ? holder.name() : holder.owner());
        }
        String owner = caller.owner();
        Optional<String> name;
        try {
            name = caller.name();
        } catch (FreightException unusableClaim) {
            name = Optional.empty();
        }
        return new Who(owner, name.orElse(owner));
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw invalid("body", "must be a JSON object");
            }
            return node;
        } catch (IOException malformed) {
            throw invalid("body", "must be a JSON object");
        }
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw invalid(field, "must be a string");
        }
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Uppy's {@code file.meta}: text, numbers and booleans kept as text, nulls (Uppy's unset fields) left out. */
    private static Map<String, String> metadata(JsonNode meta) {
        Map<String, String> metadata = new TreeMap<>();
        if (meta == null || meta.isNull()) {
            return metadata;
        }
        if (!meta.isObject()) {
            throw invalid("metadata", "must be an object");
        }
        meta.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (value.isValueNode() && !value.isNull()) {
                metadata.put(entry.getKey(), value.asText());
            } else if (!value.isNull()) {
                throw invalid("metadata[" + entry.getKey() + "]", "must be text, a number or a boolean");
            }
        });
        return metadata;
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw invalid("key", "must be given as a query parameter: the key the upload was started with");
        }
    }

    private static long secondsUntil(java.time.Instant expiresAt) {
        return Math.max(0, java.time.Duration.between(java.time.Instant.now(), expiresAt).toSeconds());
    }

    private static FreightException invalid(String field, String message) {
        return new FreightException(ProblemType.INVALID_REQUEST, field + " " + message,
                List.of(new FieldError(field, message)));
    }
}
