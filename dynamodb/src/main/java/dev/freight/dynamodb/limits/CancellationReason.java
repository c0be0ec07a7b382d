package dev.freight.dynamodb.limits;

/**
 * One entry of a cancelled transaction's {@code CancellationReasons}, in request order: "if an item has no error it
 * will have None code and Null message" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).
 *
 * @param code    {@code None}, {@code TransactionConflict}, {@code ConditionalCheckFailed}, ...
 * @param message null for {@code None}
 */
public record CancellationReason(String code, String message) {

    public static final CancellationReason NONE = new CancellationReason("None", null);

    /** "Code: TransactionConflict — Message: Transaction is ongoing for the item." (API_TransactWriteItems.html) */
    public static final CancellationReason TRANSACTION_CONFLICT =
            new CancellationReason("TransactionConflict", "Transaction is ongoing for the item");
}
