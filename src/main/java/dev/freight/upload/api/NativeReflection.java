package dev.freight.upload.api;

import dev.freight.problem.FieldError;
import dev.freight.problem.Problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson serializes that Quarkus cannot see from resource method signatures (they travel inside a
 * {@code Response} or an exception mapper's answer), registered so a native image keeps their accessors.
 */
@RegisterForReflection(targets = { InitResponse.class, PartUrl.class, DownloadResponse.class,
        DownloadResponse.DownloadPart.class, Problem.class, FieldError.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
