package dev.freight.upload.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The cause of a storage failure (the {@code cause} tag of freight_storage_errors_total and the 503-or-500 choice),
 * for the failures S3 and DynamoDB really answer.
 */
class FailureCauseTest {

    @Test
    void classifiesSdkFailures() {
        assertThat(FailureCause.of(SdkClientException.create("Connection refused"))).isEqualTo(FailureCause.UNREACHABLE);
        assertThat(FailureCause.of(s3(503, "SlowDown"))).isEqualTo(FailureCause.THROTTLED);
        assertThat(FailureCause.of(dynamoDb(400, "ProvisionedThroughputExceededException")))
                .isEqualTo(FailureCause.THROTTLED);
        assertThat(FailureCause.of(dynamoDb(400, "ThrottlingException"))).isEqualTo(FailureCause.THROTTLED);
        assertThat(FailureCause.of((NoSuchBucketException) NoSuchBucketException.builder().statusCode(404)
                .awsErrorDetails(details("NoSuchBucket")).build())).isEqualTo(FailureCause.NOT_FOUND);
        assertThat(FailureCause.of((ResourceNotFoundException) ResourceNotFoundException.builder().statusCode(400)
                .awsErrorDetails(details("ResourceNotFoundException")).build())).isEqualTo(FailureCause.NOT_FOUND);
        assertThat(FailureCause.of(s3(403, "AccessDenied"))).isEqualTo(FailureCause.ACCESS_DENIED);
        assertThat(FailureCause.of(dynamoDb(400, "AccessDeniedException"))).isEqualTo(FailureCause.ACCESS_DENIED);
        assertThat(FailureCause.of(s3(500, "InternalError"))).isEqualTo(FailureCause.SERVER_ERROR);
        assertThat(FailureCause.of(s3(400, "InvalidArgument"))).isEqualTo(FailureCause.REJECTED);
    }

    @Test
    void aTransactionCancelledForThrottlingIsThrottledEvenBesideAConflict() {
        assertThat(FailureCause.of(canceled("None", "ThrottlingError"))).isEqualTo(FailureCause.THROTTLED);
        assertThat(FailureCause.of(canceled("TransactionConflict", "ProvisionedThroughputExceeded")))
                .isEqualTo(FailureCause.THROTTLED);
    }

    @Test
    void aTransactionCancelledForAConflictIsAConflictToRetryLater() {
        FailureCause cause = FailureCause.of(canceled("None", "TransactionConflict"));
        assertThat(cause).isEqualTo(FailureCause.CONFLICT);
        assertThat(cause.retryLater()).isTrue();
        assertThat(cause.refusedForLoad()).isTrue();
        assertThat(FailureCause.of(dynamoDb(400, "TransactionConflictException"))).isEqualTo(FailureCause.CONFLICT);
    }

    @Test
    void loadIsToldApartFromConditionsAndOutages() {
        assertThat(FailureCause.of(canceled("ConditionalCheckFailed", "None"))).isEqualTo(FailureCause.REJECTED);
        assertThat(FailureCause.of(dynamoDb(400, "RequestLimitExceeded"))).isEqualTo(FailureCause.THROTTLED);
        assertThat(FailureCause.THROTTLED.refusedForLoad()).isTrue();
        assertThat(FailureCause.UNREACHABLE.refusedForLoad()).isFalse();
        assertThat(FailureCause.SERVER_ERROR.refusedForLoad()).isFalse();
    }

    private static TransactionCanceledException canceled(String... codes) {
        CancellationReason[] reasons = new CancellationReason[codes.length];
        for (int index = 0; index < codes.length; index++) {
            reasons[index] = CancellationReason.builder().code(codes[index]).build();
        }
        return (TransactionCanceledException) TransactionCanceledException.builder().cancellationReasons(reasons)
                .statusCode(400).awsErrorDetails(details("TransactionCanceledException")).build();
    }

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).awsErrorDetails(details(code)).build();
    }

    private static DynamoDbException dynamoDb(int status, String code) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(status).awsErrorDetails(details(code)).build();
    }

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(code).build();
    }
}
