package dev.freight.dynamodb.limits;

/**
 * A single (non-transactional) write on an item a transaction holds: "TransactionConflictException: Operation was
 * rejected because there is an ongoing transaction for the item" (Errors of PutItem, UpdateItem, DeleteItem,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html). The message is the one the
 * cancellation reason of the same conflict carries ("Transaction is ongoing for the item", API_TransactWriteItems.html),
 * which applications report seeing on this exception.
 */
public final class TransactionConflictException extends RuntimeException {

    public static final String AWS_TYPE = "TransactionConflictException";
    public static final String MESSAGE = CancellationReason.TRANSACTION_CONFLICT.message();

    /** The held item, as "table|canonical key". */
    private final String itemKey;

    public TransactionConflictException(String itemKey) {
        super(MESSAGE, null, false, false);
        this.itemKey = itemKey;
    }

    public String itemKey() {
        return itemKey;
    }
}
