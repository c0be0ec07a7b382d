package dev.freight.upload.api;

import dev.freight.problem.FieldError;
import dev.freight.problem.Problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson serializes that Quarkus cannot see from resource method signatures (they travel inside a
 * {@code Response} or an exception mapper's answer), and the parts lists' deserializer, registered so a native image
 * keeps their accessors and constructors.
 */
@RegisterForReflection(targets = { InitResponse.class, PartUrl.class, DownloadResponse.class,
        DownloadResponse.DownloadPart.class, Problem.class, FieldError.class, PartListDeserializer.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
