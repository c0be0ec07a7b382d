package dev.freight.upload.api;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling: the owner every upload operation is scoped to. */
@RequestScoped
public class Caller {

    /** Owner recorded while authentication is off: everyone shares it. */
    static final String ANONYMOUS = "anonymous";

    public String owner() {
        return ANONYMOUS;
    }
}
