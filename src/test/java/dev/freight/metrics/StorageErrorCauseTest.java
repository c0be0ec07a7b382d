package dev.freight.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.freight.metrics.UploadMetrics.Cause;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The {@code cause} tag of freight_storage_errors_total, for the failures S3 and DynamoDB really answer. */
class StorageErrorCauseTest {

    @Test
    void classifiesSdkFailures() {
        assertThat(UploadMetrics.causeOf(SdkClientException.create("Connection refused"))).isEqualTo(Cause.UNREACHABLE);
        assertThat(UploadMetrics.causeOf(s3(503, "SlowDown"))).isEqualTo(Cause.THROTTLED);
        assertThat(UploadMetrics.causeOf(dynamoDb(400, "ProvisionedThroughputExceededException")))
                .isEqualTo(Cause.THROTTLED);
        assertThat(UploadMetrics.causeOf(dynamoDb(400, "ThrottlingException"))).isEqualTo(Cause.THROTTLED);
        assertThat(UploadMetrics.causeOf((NoSuchBucketException) NoSuchBucketException.builder().statusCode(404)
                .awsErrorDetails(details("NoSuchBucket")).build())).isEqualTo(Cause.NOT_FOUND);
        assertThat(UploadMetrics.causeOf((ResourceNotFoundException) ResourceNotFoundException.builder().statusCode(400)
                .awsErrorDetails(details("ResourceNotFoundException")).build())).isEqualTo(Cause.NOT_FOUND);
        assertThat(UploadMetrics.causeOf(s3(403, "AccessDenied"))).isEqualTo(Cause.ACCESS_DENIED);
        assertThat(UploadMetrics.causeOf(dynamoDb(400, "AccessDeniedException"))).isEqualTo(Cause.ACCESS_DENIED);
        assertThat(UploadMetrics.causeOf(s3(500, "InternalError"))).isEqualTo(Cause.SERVER_ERROR);
        assertThat(UploadMetrics.causeOf(s3(400, "InvalidArgument"))).isEqualTo(Cause.REJECTED);
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
