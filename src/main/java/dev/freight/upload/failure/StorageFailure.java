package dev.freight.upload.failure;

/** A failed call to S3 or DynamoDB, as observers (the metrics) learn of it. */
public record StorageFailure(String storage, FailureCause cause) {
}
