package dev.freight.dynamodb.limits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request refused by a {@link ThroughputGate}, carrying what DynamoDB answers: the error {@code __type}, its message
 * and the {@code ThrottlingReasons} DynamoDB added in 2025.
 *
 * <p>Which type: "This message is returned when writes get throttled on an On-Demand table" for the
 * {@code ThrottlingError} code whose top-level error is {@code ThrottlingException}, while a provisioned table or GSI
 * answers {@code ProvisionedThroughputExceededException} ("The level of configured provisioned throughput for the
 * table was exceeded") — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 * (cancellation reason codes and messages) and
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-diagnosing-workflow.html
 * ("in Java, these include ProvisionedThroughputExceededException, RequestLimitExceeded, or ThrottlingException").
 * The per-table quota of an on-demand table (reason {@code ...AccountLimitExceeded}) is answered here as
 * {@code ThrottlingException} too: the docs tie {@code RequestLimitExceeded} to the account's quota, not a table's.
 */
public final class ThrottledException extends RuntimeException {

    /** Error types as DynamoDB names them (without the {@code com.amazonaws.dynamodb.v20120810#} prefix). */
    public static final String THROTTLING = "ThrottlingException";
    public static final String PROVISIONED_THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";

    /** Prefix of {@code __type} in DynamoDB's JSON 1.0 error bodies. */
    public static final String TYPE_PREFIX = "com.amazonaws.dynamodb.v20120810#";

    // AWS's messages, quoted from the TransactWriteItems API reference (cancellation reason messages).
    static final String ON_DEMAND_TABLE_MESSAGE = "Throughput exceeds the current capacity of your table or index. "
            + "DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions "
            + "persist, check if you have a hot key: "
            + "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html";
    static final String ON_DEMAND_INDEX_MESSAGE = "Throughput exceeds the current capacity for one or more global "
            + "secondary indexes. DynamoDB is automatically scaling your index so please try again shortly.";
    static final String PROVISIONED_TABLE_MESSAGE = "The level of configured provisioned throughput for the table "
            + "was exceeded. Consider increasing your provisioning level with the UpdateTable API.";
    static final String PROVISIONED_INDEX_MESSAGE = "The level of configured provisioned throughput for one or more "
            + "global secondary indexes of the table was exceeded. Consider increasing your provisioning level for "
            + "the under-provisioned global secondary indexes with the UpdateTable API.";

    /**
     * One entry of {@code ThrottlingReasons}: "The throttling reason follows a specific format:
     * ResourceType+OperationType+LimitType" (Table|Index, Read|Write, KeyRangeThroughputExceeded|
     * ProvisionedThroughputExceeded|AccountLimitExceeded|MaxOnDemandThroughputExceeded), and "The Amazon Resource
     * Name (ARN) of the DynamoDB table or index that experienced the throttling event" —
     * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ThrottlingReason.html
     */
    public record ThrottlingReason(String reason, String resource) {
        public ThrottlingReason {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(resource, "resource");
        }
    }

    private final String awsType;
    private final List<ThrottlingReason> reasons;
    private final List<Integer> refusedCharges;

    public ThrottledException(String awsType, String message, List<ThrottlingReason> reasons) {
        this(awsType, message, reasons, List.of());
    }

    /** @param refusedCharges positions, in the list given to {@link ThroughputGate#charge}, of the refused charges */
    public ThrottledException(String awsType, String message, List<ThrottlingReason> reasons, List<Integer> refusedCharges) {
        super(message, null, false, false); // a routine answer, not a fault: no stack trace to fill
        this.awsType = Objects.requireNonNull(awsType, "awsType");
        this.reasons = List.copyOf(reasons);
        this.refusedCharges = List.copyOf(refusedCharges);
    }

    /**
     * Positions of the refused charges in the list given to {@link ThroughputGate#charge}, ascending: a transaction
     * names the throttled items in its {@code CancellationReasons} ("ThrottlingError" at their positions).
     */
    public List<Integer> refusedCharges() {
        return refusedCharges;
    }

    /** {@link #THROTTLING} or {@link #PROVISIONED_THROUGHPUT_EXCEEDED}. */
    public String awsType() {
        return awsType;
    }

    public List<ThrottlingReason> reasons() {
        return reasons;
    }

    /**
     * The code of this refusal inside a transaction's {@code CancellationReasons}: {@code ThrottlingError} for
     * on-demand, {@code ProvisionedThroughputExceeded} for provisioned (API_TransactWriteItems.html, Errors).
     */
    public String cancellationCode() {
        return THROTTLING.equals(awsType) ? "ThrottlingError" : "ProvisionedThroughputExceeded";
    }

    /** The JSON 1.0 error body DynamoDB sends with HTTP 400, ready for Jackson. */
    public Map<String, Object> errorBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", TYPE_PREFIX + awsType);
        body.put("message", getMessage());
        List<Map<String, String>> list = new ArrayList<>(reasons.size());
        for (ThrottlingReason reason : reasons) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("reason", reason.reason());
            entry.put("resource", reason.resource());
            list.add(entry);
        }
        // The member is "throttlingReasons" in ThrottlingException and "ThrottlingReasons" in
        // ProvisionedThroughputExceededException and RequestLimitExceeded (the SDK's model, 2.42.7).
        body.put(THROTTLING.equals(awsType) ? "throttlingReasons" : "ThrottlingReasons", list);
        return body;
    }
}
