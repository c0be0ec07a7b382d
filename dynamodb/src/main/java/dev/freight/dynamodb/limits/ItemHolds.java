package dev.freight.dynamodb.limits;

import java.util.List;

/** Which items a running transaction holds, so a concurrent request on them is refused as DynamoDB refuses it. */
public interface ItemHolds {

    /**
     * Claims the items for the length of the returned hold.
     *
     * @param itemKeys    the request's items in request order, each "table|canonical key"
     * @param transaction true for TransactWriteItems/TransactGetItems (holds the items); false for a single write
     *                    (holds nothing, only checks)
     * @throws TransactionCanceledException  a transaction touching an item another transaction holds; the reason at
     *                                       that item's position is {@link CancellationReason#TRANSACTION_CONFLICT}
     * @throws TransactionConflictException a single write on an item a transaction holds
     */
    AutoCloseable hold(List<String> itemKeys, boolean transaction);

    /** No holds: nothing ever conflicts (limits off). */
    static ItemHolds none() {
        return (itemKeys, transaction) -> () -> { };
    }
}
