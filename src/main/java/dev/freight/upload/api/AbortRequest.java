package dev.freight.upload.api;

import java.util.UUID;

import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/upload/abort}. */
public record AbortRequest(@NotNull UUID fileId) {
}
