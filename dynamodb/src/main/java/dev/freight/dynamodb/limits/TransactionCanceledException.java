package dev.freight.dynamodb.limits;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A transaction refused because another transaction holds one of its items: DynamoDB's
 * {@code TransactionCanceledException}, whose {@code CancellationReasons} follow the request's order
 * ("There is an ongoing TransactWriteItems operation that conflicts with a concurrent TransactWriteItems request. In
 * this case the TransactWriteItems operation fails with a TransactionCanceledException",
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).
 *
 * <p>The message lists the codes as real DynamoDB does, e.g. {@code Transaction cancelled, please refer cancellation
 * reasons for specific reasons [None, TransactionConflict]} (a response quoted in
 * https://github.com/pynamodb/PynamoDB/pull/1144).
 */
public final class TransactionCanceledException extends RuntimeException {

    public static final String AWS_TYPE = "TransactionCanceledException";

    private final List<CancellationReason> reasons;

    public TransactionCanceledException(List<CancellationReason> reasons) {
        super(message(reasons), null, false, false);
        this.reasons = List.copyOf(reasons);
    }

    /** One reason per item of the request, in the request's order. */
    public List<CancellationReason> reasons() {
        return reasons;
    }

    static String message(List<CancellationReason> reasons) {
        return reasons.stream().map(CancellationReason::code)
                .collect(Collectors.joining(", ", "Transaction cancelled, please refer cancellation reasons for specific reasons [", "]"));
    }
}
