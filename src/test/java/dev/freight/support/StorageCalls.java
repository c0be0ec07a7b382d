package dev.freight.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.freight.dynamodb.limits.Charge;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * What one API call sent to storage: the DynamoDB and S3 requests the service's clients sent (from
 * {@link DynamoDbRequestRecorder} and {@link S3RequestRecorder}) and the capacity units the DynamoDB engine charged for
 * them, counted by AWS's rules in the engine's {@code CapacityUnits}, indexes included.
 */
public final class StorageCalls {

    /** The requests and units of one call. */
    public record Cost(List<SdkRequest> dynamoDb, List<SdkRequest> s3, List<Charge> charges) {

        public double readUnits() {
            return charges.stream().mapToDouble(Charge::readUnits).sum();
        }

        public double writeUnits() {
            return charges.stream().mapToDouble(Charge::writeUnits).sum();
        }

        /** Write units spent on global secondary indexes (part of {@link #writeUnits()}). */
        public double indexWriteUnits() {
            return charges.stream().filter(charge -> charge.index() != null).mapToDouble(Charge::writeUnits).sum();
        }

        /** Read and write units by table or index ("table", or the index's name): where the capacity goes. */
        public Map<String, String> unitsByTarget() {
            Map<String, String> units = new TreeMap<>();
            charges.stream().collect(Collectors.groupingBy(
                    charge -> charge.index() == null ? "table" : charge.index())).forEach((target, spent) -> units.put(
                            target, spent.stream().mapToDouble(Charge::readUnits).sum() + " RCU, "
                                    + spent.stream().mapToDouble(Charge::writeUnits).sum() + " WCU"));
            return units;
        }

        /** DynamoDB request types in order, e.g. "GetItem(eventual), TransactWriteItems(2 items)". */
        public List<String> dynamoDbCalls() {
            return describe(dynamoDb);
        }

        /** S3 operations in order, e.g. "CreateMultipartUpload". */
        public List<String> s3Calls() {
            return describe(s3);
        }
    }

    private StorageCalls() {
    }

    /** Runs {@code call} (one HTTP request to the service) and returns what it sent to storage. */
    public static Cost of(Runnable call) {
        List<Charge> charges = new CopyOnWriteArrayList<>();
        int dynamoDbBefore = DynamoDbRequestRecorder.sent().size();
        int s3Before = S3RequestRecorder.all().size();
        EmbeddedStorageResource.dynamoDb().onCharges(charges::addAll);
        try {
            call.run();
        } finally {
            EmbeddedStorageResource.dynamoDb().onCharges(null);
        }
        List<SdkRequest> dynamoDb = DynamoDbRequestRecorder.sent();
        List<S3RequestRecorder.Sent> s3 = S3RequestRecorder.all();
        return new Cost(List.copyOf(dynamoDb.subList(dynamoDbBefore, dynamoDb.size())),
                s3.subList(s3Before, s3.size()).stream().map(S3RequestRecorder.Sent::request).toList(),
                List.copyOf(charges));
    }

    /**
     * Request types in order, a transaction with its item count, a read with its consistency, a query with its index;
     * a run of the same request as one entry with its count ("Query(open-index) × 16").
     */
    public static List<String> describe(List<SdkRequest> requests) {
        List<String> names = requests.stream().map(StorageCalls::name).toList();
        List<String> runs = new ArrayList<>();
        for (int start = 0; start < names.size();) {
            int end = start;
            while (end < names.size() && names.get(end).equals(names.get(start))) {
                end++;
            }
            runs.add(end - start == 1 ? names.get(start) : names.get(start) + " × " + (end - start));
            start = end;
        }
        return runs;
    }

    private static String name(SdkRequest request) {
        String name = request.getClass().getSimpleName().replace("Request", "");
        if (request instanceof TransactWriteItemsRequest transaction) {
            return name + "(" + transaction.transactItems().size() + " items)";
        }
        if (request instanceof GetItemRequest read) {
            return name + (Boolean.TRUE.equals(read.consistentRead()) ? "(consistent)" : "(eventual)");
        }
        if (request instanceof QueryRequest query) {
            return name + "(" + (query.indexName() == null ? "table" : query.indexName()) + ")";
        }
        return name;
    }
}
