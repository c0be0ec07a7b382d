package dev.freight.upload.api;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.model.StartedUpload;
import dev.freight.upload.model.Upload;
import dev.freight.upload.model.UploadGrant;
import dev.freight.upload.model.UploadProgress;
import dev.freight.upload.model.UploadStatus;
import dev.freight.upload.service.UploadService;
import dev.freight.upload.service.UploadTokens;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** HTTP face of the upload flow: init, URLs, status, complete, abort and the author listing. */
@Path("/api/upload")
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {

    /** Seconds a client waits before it polls a {@code completing} upload again. */
    static final int COMPLETING_RETRY_AFTER_SECONDS = 2;

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final Pattern UPLOAD_STATUS = Pattern.compile("uploading|completing|uploaded|failed|aborted");
    /** Bodies up to this size are parsed on the event loop (well under a millisecond); larger ones on a worker. */
    static final int EVENT_LOOP_BODY_BYTES = 16 * 1024;

    private static final Pattern PAGE_SIZE = Pattern.compile("[1-9][0-9]?|100");

    private final UploadService uploads;
    private final Caller caller;
    private final UploadTokens tokens;
    private final ObjectMapper json;

    UploadResource(UploadService uploads, Caller caller, UploadTokens tokens, ObjectMapper json) {
        this.uploads = uploads;
        this.caller = caller;
        this.tokens = tokens;
        this.json = json;
    }

    /** The upload's token while it is open (an ended upload has nothing left to sign). */
    private String tokenFor(Upload upload) {
        return upload.isUploading() && upload.expiresAt() != null ? tokens.issue(UploadGrant.of(upload)) : null;
    }

    @POST
    @Path("/init")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response init(InitRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        FieldChecks.body(request)
                .matches("idempotency_key", idempotencyKey, IDEMPOTENCY_KEY, "must be 1-255 visible ASCII characters")
                .throwIfAny();
        // The token's name only where the body names no author: a bad claim does not stand in the way of a good body.
        String callerName = request.authorName() != null ? null : caller.name().orElse(null);
        StartedUpload upload = uploads.init(caller.owner(), callerName, request.toNewUpload(), idempotencyKey);
        InitResponse started = InitResponse.of(upload, tokenFor(upload.upload()));
        return Response.created(URI.create("/api/upload/" + started.fileId())).entity(started).build();
    }

    /**
     * On the event loop: with an {@code upload_token} and a part list nothing here blocks (token check and signing
     * are CPU only), which spares the hop to a worker thread on the per-part path. What reads storage is handed to
     * a worker, and so is a body over {@value #EVENT_LOOP_BODY_BYTES} bytes: parsing and checking it takes
     * milliseconds, which the event loop (serving every other request, liveness included) must not spend. The body
     * arrives as bytes so that where it is parsed is decided here.
     */
    @POST
    @Path("/refresh_urls")
    @Consumes(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Uni<PartUrlsResponse> refreshUrls(byte[] body) {
        io.vertx.core.Context requestContext = Vertx.currentContext();
        if (body.length > EVENT_LOOP_BODY_BYTES) {
            return onWorker(requestContext, () -> {
                RefreshUrlsRequest request = parse(body);
                FieldChecks.body(request).throwIfAny();
                return refresh(request, caller.owner());
            });
        }
        RefreshUrlsRequest request;
        try {
            request = parse(body);
        } catch (IOException malformed) {
            return Uni.createFrom().failure(malformed);
        }
        FieldChecks.body(request).throwIfAny();
        boolean blocking = UploadService.refreshReadsStorage(request.uploadToken(),
                PartUrlRequest.toPartsToSign(request.parts()));
        return caller.ownerWhenAuthenticated().flatMap(owner -> blocking
                ? onWorker(requestContext, () -> refresh(request, owner))
                : Uni.createFrom().item(() -> refresh(request, owner)));
    }

    private PartUrlsResponse refresh(RefreshUrlsRequest request, String owner) {
        return PartUrlsResponse.of(request.fileId(), uploads.refreshUrls(owner, request.fileId(),
                request.uploadToken(), PartUrlRequest.toPartsToSign(request.parts())));
    }

    /** The body as the JSON settings read every other body (an empty one is a missing body). */
    private RefreshUrlsRequest parse(byte[] body) throws IOException {
        return body.length == 0 ? null : json.readValue(body, RefreshUrlsRequest.class);
    }

    /** On the request's own (duplicated) context: the worker keeps its request id in the log lines. */
    private static <T> Uni<T> onWorker(io.vertx.core.Context requestContext, Callable<T> work) {
        return Uni.createFrom().completionStage(requestContext.executeBlocking(work, false).toCompletionStage());
    }

    @GET
    @Path("/{file_id}")
    public UploadStatusResponse status(@PathParam("file_id") String fileId) {
        FieldChecks.parameters().matches("file_id", fileId, ApiPatterns.UUID, ApiPatterns.UUID_MESSAGE).throwIfAny();
        UploadProgress progress = uploads.status(caller.owner(), UUID.fromString(fileId));
        return UploadStatusResponse.of(progress, tokenFor(progress.upload()));
    }

    @POST
    @Path("/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(CompleteRequest request) {
        FieldChecks.body(request).throwIfAny();
        UploadProgress progress = uploads.complete(caller.owner(), request.fileId(),
                request.parts().stream().map(CompletedPartRequest::toClaimedPart).toList());
        UploadStatusResponse answer = UploadStatusResponse.of(progress, null);
        if (progress.upload().status() == UploadStatus.COMPLETING) {
            // Storage is still assembling: poll the status instead of sending complete again.
            return Response.accepted(answer).location(URI.create("/api/upload/" + request.fileId()))
                    .header("Retry-After", COMPLETING_RETRY_AFTER_SECONDS).build();
        }
        return Response.ok(answer).build();
    }

    @POST
    @Path("/abort")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response abort(AbortRequest request) {
        FieldChecks.body(request).throwIfAny();
        uploads.abort(caller.owner(), request.fileId());
        return Response.noContent().build();
    }

    @GET
    public UploadListResponse list(@QueryParam("author_name") String authorName,
            @QueryParam("upload_status") String uploadStatus, @QueryParam("limit") String limit,
            @QueryParam("next_token") String nextToken, @Context UriInfo uri) {
        FieldChecks checks = FieldChecks.parameters();
        checks.length("author_name", authorName, 1, 128);
        checks.matches("upload_status", uploadStatus, UPLOAD_STATUS,
                "must be one of uploading, completing, uploaded, failed, aborted");
        checks.matches("limit", limit, PAGE_SIZE, "must be between 1 and 100");
        checks.length("next_token", nextToken, 0, 2048);
        checks.throwIfAny();
        if (authorName == null && uri.getQueryParameters().containsKey("author_name")) {
            // An empty author_name is a mistake, not a wish for every author.
            throw new FreightException(ProblemType.INVALID_REQUEST, "author_name must not be empty",
                    List.of(new FieldError("author_name", "must not be empty")));
        }
        UploadStatus status = uploadStatus == null ? null : UploadStatus.fromWireName(uploadStatus);
        int pageSize = limit == null ? 20 : Integer.parseInt(limit);
        return UploadListResponse.of(uploads.list(caller.owner(),
                authorName != null ? null : caller.name().orElse(null), authorName, status, pageSize, nextToken));
    }
}
