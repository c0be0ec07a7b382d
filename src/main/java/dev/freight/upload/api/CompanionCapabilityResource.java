package dev.freight.upload.api;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.service.CompanionCapabilities;

/**
 * Where the host app's backend, calling with the owner's own bearer token, gets a short-lived Companion base URL
 * for its page: Uppy 6 in Companion mode sends no {@code Authorization} header, so the credential is in the path.
 */
@Path("/api/companion/capabilities")
@Produces(MediaType.APPLICATION_JSON)
public class CompanionCapabilityResource {

    private final CompanionCapabilities capabilities;
    private final Caller caller;

    CompanionCapabilityResource(CompanionCapabilities capabilities, Caller caller) {
        this.capabilities = capabilities;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(CompanionCapabilityRequest request, @Context UriInfo uri) {
        CompanionCapabilityRequest body = request != null ? request : new CompanionCapabilityRequest(null);
        FieldChecks.body(body).throwIfAny();
        String name = body.authorName() != null ? body.authorName() : caller.name().orElse(null);
        String capability = capabilities.issue(caller.owner(), name);
        URI base = uri.getBaseUriBuilder().path("companion").path("c").path(capability).build();
        return Response.status(Response.Status.CREATED)
                .entity(new CompanionCapability(base.toString(), capabilities.expiryOfNew())).build();
    }
}
