package dev.freight.upload.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.service.DeadLetters;

/**
 * The operators' endpoints for webhook deliveries that ran out of attempts: list and replay. Authenticated by
 * {@link AdminCredential} (checked before the body is read), not by a user's token.
 */
@Path("/api/admin/webhooks/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private static final java.util.regex.Pattern LIMIT = java.util.regex.Pattern.compile("[1-9][0-9]{0,2}|1000");

    private final DeadLetters deadLetters;
    private final AdminCredential admin;

    DeadLetterResource(DeadLetters deadLetters, AdminCredential admin) {
        this.deadLetters = deadLetters;
        this.admin = admin;
    }

    @GET
    public DeadLetterList list(@QueryParam("limit") @DefaultValue("100") String limit,
            @HeaderParam("Authorization") String authorization) {
        // Checked here as well as before matching: a path spelled otherwise must not reach this with a user's token.
        admin.require(authorization);
        FieldChecks.parameters().matches("limit", limit, LIMIT, "must be between 1 and " + DeadLetters.MAX_BATCH)
                .throwIfAny();
        return new DeadLetterList(deadLetters.list(Integer.parseInt(limit)).stream().map(DeadLetter::of).toList());
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public ReplayResponse replay(ReplayRequest request, @HeaderParam("Authorization") String authorization) {
        admin.require(authorization);
        FieldChecks.body(request).throwIfAny();
        return new ReplayResponse(deadLetters.replay(Boolean.TRUE.equals(request.all()) ? null : request.deliveries()));
    }
}
