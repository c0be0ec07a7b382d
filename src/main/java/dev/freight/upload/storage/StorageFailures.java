package dev.freight.upload.storage;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.problem.StorageUnavailableException;
import dev.freight.upload.failure.FailureCause;
import dev.freight.upload.failure.StorageFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns an AWS SDK failure into what the client is told (retry later: 503; anything else: 500) and tells the
 * observers of {@link StorageFailure} (the metrics), both from the same {@link FailureCause}.
 */
@ApplicationScoped
public class StorageFailures {

    private final Consumer<StorageFailure> observers;

    @Inject
    StorageFailures(Event<StorageFailure> observers) {
        this(observers::fire);
    }

    StorageFailures(Consumer<StorageFailure> observers) {
        this.observers = observers;
    }

    /** For storage classes built by hand (unit tests, benchmarks): failures are translated, nobody is told. */
    public static StorageFailures unobserved() {
        return new StorageFailures(failure -> { });
    }

    public FreightException translate(String storage, SdkException failure) {
        FailureCause cause = FailureCause.of(failure);
        observers.accept(new StorageFailure(storage, cause));
        if (cause.retryLater()) {
            return new StorageUnavailableException(storage, failure, outcomeUnknown(failure), cause.refusedForLoad());
        }
        return new FreightException(ProblemType.INTERNAL_ERROR, storage + " rejected a request", List.of(), Map.of(),
                failure);
    }

    /** A definite refusal that a later retry may get past: a transaction throttled or still conflicting. */
    StorageUnavailableException unavailable(String storage, SdkException failure) {
        FailureCause cause = FailureCause.of(failure);
        observers.accept(new StorageFailure(storage, cause));
        return new StorageUnavailableException(storage, failure, false, cause.refusedForLoad());
    }

    /**
     * Whether a failed request may have been applied: not when the connection was never made or storage refused it
     * (throttling), but after a timeout, a dropped connection or a server error.
     */
    static boolean outcomeUnknown(SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            return !service.isThrottlingException() && service.statusCode() >= 500;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException) {
                return false;
            }
        }
        return true;
    }
}
