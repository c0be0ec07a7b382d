package dev.freight.upload.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A part the client sent, with the ETag storage answered. */
public record CompletedPartRequest(
        @NotNull @Min(1) @Max(10_000) Integer partNumber,
        @NotBlank @Size(max = 128) String etag) {
}
