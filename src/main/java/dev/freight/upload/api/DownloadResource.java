package dev.freight.upload.api;

import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.service.UploadService;

/** HTTP face of downloads: a presigned GET, as JSON (optionally with one per part) or as a redirect. */
@Path("/api/download")
@Produces(MediaType.APPLICATION_JSON)
public class DownloadResource {

    private static final Pattern PART_NUMBER = Pattern.compile("[1-9][0-9]{0,3}|10000");

    private final UploadService uploads;
    private final Caller caller;

    DownloadResource(UploadService uploads, Caller caller) {
        this.uploads = uploads;
        this.caller = caller;
    }

    @GET
    @Path("/{file_id}")
    public Response download(@PathParam("file_id") String fileId, @QueryParam("redirect") String redirect,
            @QueryParam("parts") String parts, @QueryParam("first_part") String firstPart) {
        FieldChecks checks = FieldChecks.parameters();
        checks.matches("file_id", fileId, ApiPatterns.UUID, ApiPatterns.UUID_MESSAGE);
        checks.matches("redirect", redirect, ApiPatterns.TRUE_OR_FALSE, ApiPatterns.TRUE_OR_FALSE_MESSAGE);
        checks.matches("parts", parts, ApiPatterns.TRUE_OR_FALSE, ApiPatterns.TRUE_OR_FALSE_MESSAGE);
        checks.matches("first_part", firstPart, PART_NUMBER, "must be a part number from 1 to 10000");
        checks.throwIfAny();
        DownloadResponse download = DownloadResponse.of(uploads.download(caller.owner(), UUID.fromString(fileId),
                Boolean.parseBoolean(parts), firstPart == null ? 1 : Integer.parseInt(firstPart)));
        if (Boolean.parseBoolean(redirect)) {
            return Response.status(Response.Status.FOUND).location(URI.create(download.url())).build();
        }
        return Response.ok(download).build();
    }
}
