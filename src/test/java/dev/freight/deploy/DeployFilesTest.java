package dev.freight.deploy;

import static dev.freight.deploy.DeployFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.freight.upload.storage.MetadataTable;

/** The deployment files say what the code does: IAM actions, table schema, bucket rules, probes, shutdown. */
class DeployFilesTest {

    /** Quarkus' default management port: application.properties turns the interface on and keeps the port. */
    private static final int MANAGEMENT_PORT = 9000;

    /** SDK operation (as called in the code) -> the IAM action it needs. */
    private static final Map<String, String> IAM_ACTION = Map.ofEntries(
            Map.entry("s3.createMultipartUpload", "s3:PutObject"),
            Map.entry("s3.completeMultipartUpload", "s3:PutObject"),
            Map.entry("presigner.presignUploadPart", "s3:PutObject"),
            Map.entry("presigner.presignGetObject", "s3:GetObject"),
            Map.entry("s3.headObject", "s3:GetObject"),
            Map.entry("s3.listParts", "s3:ListMultipartUploadParts"),
            Map.entry("s3.abortMultipartUpload", "s3:AbortMultipartUpload"),
            Map.entry("s3.headBucket", "s3:ListBucket"),
            Map.entry("s3.listMultipartUploads", "s3:ListBucketMultipartUploads"),
            Map.entry("s3.createBucket", "s3:CreateBucket"),
            Map.entry("dynamoDb.putItem", "dynamodb:PutItem"),
            Map.entry("dynamoDb.getItem", "dynamodb:GetItem"),
            Map.entry("dynamoDb.batchGetItem", "dynamodb:BatchGetItem"),
            Map.entry("dynamoDb.deleteItem", "dynamodb:DeleteItem"),
            Map.entry("dynamoDb.query", "dynamodb:Query"),
            // A transaction is authorized as its parts: a Put (PutItem, above) and an Update of the quota counter.
            Map.entry("dynamoDb.transactWriteItems", "dynamodb:UpdateItem"),
            Map.entry("dynamoDb.updateItem", "dynamodb:UpdateItem"),
            Map.entry("dynamoDb.scan", "dynamodb:Scan"),
            Map.entry("dynamoDb.describeTable", "dynamodb:DescribeTable"),
            Map.entry("dynamoDb.waiter", "dynamodb:DescribeTable"),
            Map.entry("dynamoDb.createTable", "dynamodb:CreateTable"),
            Map.entry("dynamoDb.updateTable", "dynamodb:UpdateTable"),
            Map.entry("dynamoDb.updateTimeToLive", "dynamodb:UpdateTimeToLive"));

    /**
     * Calls made only when freight.storage.provision (or the one-off freight.storage.backfill-listing) is on: granted
     * by the separate provisioning policy. DescribeTable is among them: the readiness probe reads an item instead
     * ({@link #readinessProbeReadsAnItemAndOnlyProvisioningDescribesTheTable}).
     */
    private static final Set<String> PROVISIONING = Set.of("s3.createBucket", "dynamoDb.describeTable",
            "dynamoDb.waiter", "dynamoDb.createTable", "dynamoDb.updateTable", "dynamoDb.updateTimeToLive",
            "dynamoDb.scan");

    private static final Pattern SDK_CALL = Pattern.compile("\\b(s3|presigner|dynamoDb)\\.(\\w+)\\(");
    private static final Pattern DESCRIBE_TABLE = Pattern.compile("\\bdynamoDb\\.(describeTable|waiter)\\(");

    @Test
    void iamPoliciesGrantExactlyTheCallsTheCodeMakes() throws IOException {
        Set<String> calls = sdkCallsInMainCode();
        assertThat(calls).as("every SDK call has a known IAM action").allMatch(IAM_ACTION::containsKey);
        Set<String> runtime = calls.stream().filter(call -> !PROVISIONING.contains(call)).map(IAM_ACTION::get)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> provisioning = calls.stream().filter(PROVISIONING::contains).map(IAM_ACTION::get)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(runtime).contains("s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts",
                "s3:AbortMultipartUpload", "s3:ListBucket", "s3:ListBucketMultipartUploads", "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query",
                "dynamodb:UpdateItem");

        assertThat(actions(DeployFiles.json("iam/freight-policy.json"))).isEqualTo(runtime);
        assertThat(actions(DeployFiles.json("iam/freight-provisioning-policy.json"))).isEqualTo(provisioning);
        Map<String, Object> storage = DeployFiles.yaml("cloudformation/storage.yaml");
        assertThat(actions(at(storage, "Resources", "RuntimePolicy", "Properties", "PolicyDocument"))).isEqualTo(runtime);
        for (Map<String, Object> statement : statements(DeployFiles.json("iam/freight-policy.json"))) {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(String.valueOf(statement.get("Resource"))).doesNotContain("arn:aws:s3:::*", "table/*\"");
            assertThat(String.valueOf(statement.get("Action"))).doesNotContain("*");
        }
    }

    /**
     * The runtime policy leaves DescribeTable out only because nothing but provisioning calls it: the table check
     * is a GetItem, and DescribeTable sits in methods the provisioner alone calls.
     */
    @Test
    void readinessProbeReadsAnItemAndOnlyProvisioningDescribesTheTable() throws IOException {
        String code = DeployFiles.read(Path.of("src/main/java/dev/freight/upload/storage/MetadataTable.java"));
        assertThat(methodBody(code, "public void checkTable()")).contains("dynamoDb.getItem(")
                .doesNotContain("describeTable", "waiter");
        String provisioning = methodBody(code, "public void createTableIfMissing()");
        assertThat(DESCRIBE_TABLE.matcher(provisioning).results().count()).as("DescribeTable calls, all made by "
                + "createTableIfMissing").isPositive().isEqualTo(DESCRIBE_TABLE.matcher(code).results().count());
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            assertThat(files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> DESCRIBE_TABLE.matcher(DeployFiles.read(file)).find())
                    .map(file -> file.getFileName().toString())).as("no other class describes the table")
                    .containsExactly("MetadataTable.java");
        }
        // ...which only the provisioner calls, and only with freight.storage.provision on.
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            assertThat(files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> DeployFiles.read(file).contains(".createTableIfMissing()"))
                    .map(file -> file.getFileName().toString())).containsExactly("StorageProvisioner.java");
        }
        String provisioner = DeployFiles.read(
                Path.of("src/main/java/dev/freight/upload/storage/StorageProvisioner.java"));
        assertThat(provisioner).as("createTableIfMissing called only inside the provision() guard")
                .containsPattern("if \\(config\\.storage\\(\\)\\.provision\\(\\)\\) \\{[^}]*"
                        + "table\\.createTableIfMissing\\(\\);[^}]*}");
        assertThat(provisioner.split("\\.createTableIfMissing\\(", -1)).as("one call").hasSize(2);

        Map<String, Object> storage = DeployFiles.yaml("cloudformation/storage.yaml");
        assertThat(actions(DeployFiles.json("iam/freight-policy.json"))).contains("dynamodb:GetItem")
                .doesNotContain("dynamodb:DescribeTable");
        assertThat(actions(at(storage, "Resources", "RuntimePolicy", "Properties", "PolicyDocument")))
                .contains("dynamodb:GetItem").doesNotContain("dynamodb:DescribeTable");
        assertThat(actions(DeployFiles.json("iam/freight-provisioning-policy.json")))
                .contains("dynamodb:DescribeTable");
        assertThat(DeployFiles.read(Path.of("docs/operations.md"))).contains("`dynamodb-table` (GetItem of a key never written")
                .doesNotContain("`dynamodb-table` (DescribeTable");
        assertThat(DeployFiles.read(Path.of("deploy/iam/README.md"))).contains("`getItem` is also the readiness probe")
                .doesNotContain("| `describeTable` | `dynamodb:DescribeTable` | readiness probe |");
    }

    @Test
    void bucketBlocksPublicAccessIsEncryptedExposesEtagAndAbortsIncompleteUploads() {
        Map<String, Object> bucket = at(DeployFiles.yaml("cloudformation/storage.yaml"), "Resources", "UploadBucket",
                "Properties");
        Map<String, Object> publicAccess = at(bucket, "PublicAccessBlockConfiguration");
        assertThat(publicAccess).containsOnlyKeys("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                "RestrictPublicBuckets");
        assertThat(publicAccess.values()).containsOnly(true);
        assertThat((String) at(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration", 0,
                "ServerSideEncryptionByDefault", "SSEAlgorithm")).isIn("AES256", "aws:kms");

        List<Map<String, Object>> cors = at(bucket, "CorsConfiguration", "CorsRules");
        assertThat(cors).anySatisfy(rule -> {
            assertThat((List<String>) at(rule, "ExposedHeaders")).contains("ETag");
            assertThat((List<String>) at(rule, "AllowedMethods")).contains("PUT", "GET");
            // What the page sends with a checksum-bound part PUT and a ranged part GET.
            assertThat((List<String>) at(rule, "AllowedHeaders")).contains("x-amz-checksum-sha256",
                    "x-amz-sdk-checksum-algorithm", "content-type", "range");
            assertThat((Map<String, Object>) at(rule, "AllowedOrigins", 0)).containsEntry("Ref", "WebAppOrigin");
        });

        List<Map<String, Object>> rules = at(bucket, "LifecycleConfiguration", "Rules");
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.get("Status")).isEqualTo("Enabled");
            assertThat((Map<String, Object>) at(rule, "AbortIncompleteMultipartUpload")).containsKey("DaysAfterInitiation");
            assertThat(rule).doesNotContainKey("Filter");
        });
    }

    @Test
    void tableMatchesWhatTheCodeCreatesAndQueries() throws Exception {
        Map<String, Object> table = at(DeployFiles.yaml("cloudformation/storage.yaml"), "Resources", "UploadTable",
                "Properties");
        String fileId = itemAttribute("FILE_ID");
        String ownerShard = itemAttribute("OWNER_SHARD");
        String openShard = itemAttribute("OPEN_SHARD");
        String shardSort = itemAttribute("SHARD_SORT");
        String deadlineShard = itemAttribute("DEADLINE_SHARD");
        String deadlineSort = itemAttribute("DEADLINE_SORT");
        assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat((List<Map<String, Object>>) at(table, "AttributeDefinitions")).containsExactlyInAnyOrder(
                Map.of("AttributeName", fileId, "AttributeType", "S"),
                Map.of("AttributeName", ownerShard, "AttributeType", "S"),
                Map.of("AttributeName", openShard, "AttributeType", "S"),
                Map.of("AttributeName", shardSort, "AttributeType", "S"),
                Map.of("AttributeName", deadlineShard, "AttributeType", "N"),
                Map.of("AttributeName", deadlineSort, "AttributeType", "S"));
        assertThat((List<Map<String, Object>>) at(table, "KeySchema"))
                .containsExactly(Map.of("AttributeName", fileId, "KeyType", "HASH"));
        // The sharded owner index, the sparse open-uploads index (both ALL), the sparse deadline index (keys only).
        assertThat((List<?>) at(table, "GlobalSecondaryIndexes")).hasSize(3);
        assertIndex(at(table, "GlobalSecondaryIndexes", 0), MetadataTable.OWNER_SHARD_INDEX, ownerShard, shardSort, "ALL");
        assertIndex(at(table, "GlobalSecondaryIndexes", 1), MetadataTable.OPEN_INDEX, openShard, shardSort, "ALL");
        assertIndex(at(table, "GlobalSecondaryIndexes", 2), MetadataTable.DEADLINE_INDEX, deadlineShard, deadlineSort,
                "KEYS_ONLY");
        assertThat((String) at(table, "TimeToLiveSpecification", "AttributeName")).isEqualTo(itemAttribute("EXPIRES_AT"));
        assertThat((Boolean) at(table, "TimeToLiveSpecification", "Enabled")).isTrue();

        // The code creates the same table when provisioning (dev, tests): keep both in step.
        String code = DeployFiles.read(Path.of("src/main/java/dev/freight/upload/storage/MetadataTable.java"));
        assertThat(code).contains("BillingMode.PAY_PER_REQUEST", "ProjectionType.ALL", "UploadItem.EXPIRES_AT",
                "attribute(UploadItem.OWNER_SHARD)", "attribute(UploadItem.OPEN_SHARD)",
                "attribute(UploadItem.SHARD_SORT)",
                "numberAttribute(UploadItem.DEADLINE_SHARD)", "attribute(UploadItem.DEADLINE_SORT)",
                "index(OWNER_SHARD_INDEX, UploadItem.OWNER_SHARD, UploadItem.SHARD_SORT, ProjectionType.ALL)",
                "index(OPEN_INDEX, UploadItem.OPEN_SHARD, UploadItem.SHARD_SORT, ProjectionType.ALL)",
                "index(DEADLINE_INDEX, UploadItem.DEADLINE_SHARD, UploadItem.DEADLINE_SORT, ProjectionType.KEYS_ONLY)",
                "key.attributeName(partition).keyType(KeyType.HASH)", "key.attributeName(sort).keyType(KeyType.RANGE)");
        // The old owner index stays readable: a migrated table keeps it until its records moved.
        for (String policy : List.of("deploy/iam/freight-policy.json", "deploy/cloudformation/storage.yaml")) {
            assertThat(DeployFiles.read(Path.of(policy))).as(policy)
                    .contains("/index/" + MetadataTable.OWNER_SHARD_INDEX, "/index/" + MetadataTable.OPEN_INDEX,
                            "/index/" + MetadataTable.DEADLINE_INDEX, "/index/" + MetadataTable.OWNER_INDEX)
                    .doesNotContain("author-index");
        }
    }

    @Test
    void apiGatewayThrottlesInitRefreshAndCompleteOnTheirOwnOptionallyChecksJwtsAndLogsAccess() {
        Map<String, Object> template = DeployFiles.yaml("cloudformation/api-gateway.yaml");
        Map<String, Map<String, Object>> resources = at(template, "Resources");
        assertThat((String) at(resources, "HttpApi", "Properties", "ProtocolType")).isEqualTo("HTTP");
        Map<String, Object> integration = at(resources, "ServiceIntegration", "Properties");
        assertThat(integration.get("ConnectionType")).isEqualTo("VPC_LINK");
        assertThat(integration.get("IntegrationType")).isEqualTo("HTTP_PROXY");

        Map<String, Map<String, Object>> routes = new java.util.HashMap<>();
        resources.values().stream().filter(resource -> "AWS::ApiGatewayV2::Route".equals(resource.get("Type")))
                .forEach(route -> routes.put(at(route, "Properties", "RouteKey"), at(route, "Properties")));
        // The endpoints the service serves are routed, /q/* (health, metrics) is not.
        assertThat(routes.keySet()).contains("POST /api/upload/init", "POST /api/upload/refresh_urls",
                "POST /api/upload/complete", "ANY /api/{proxy+}", "GET /")
                .noneMatch(key -> key.contains("/q/") || key.equals("ANY /{proxy+}") || key.equals("$default"));
        for (String key : routes.keySet()) {
            if (key.contains("/api/")) {
                // The JWT authorizer applies to every API route when an issuer is given.
                assertThat(String.valueOf(routes.get(key).get("AuthorizationType"))).as(key)
                        .contains("UseJwtAuthorizer", "JWT", "NONE");
            }
        }
        Map<String, Object> authorizer = resources.get("JwtAuthorizer");
        assertThat(authorizer.get("Condition")).isEqualTo("UseJwtAuthorizer");
        assertThat((String) at(authorizer, "Properties", "AuthorizerType")).isEqualTo("JWT");
        assertThat((Map<String, Object>) at(authorizer, "Properties", "JwtConfiguration", "Audience", 0))
                .containsEntry("Ref", "JwtAudience");

        Map<String, Object> stage = at(resources, "DefaultStage", "Properties");
        Map<String, Map<String, Object>> throttled = at(stage, "RouteSettings");
        assertThat(throttled).containsOnlyKeys("POST /api/upload/init", "POST /api/upload/refresh_urls",
                "POST /api/upload/complete");
        throttled.forEach((key, settings) -> assertThat(settings).as(key)
                .containsKeys("ThrottlingRateLimit", "ThrottlingBurstLimit"));
        assertThat((Map<String, Object>) at(stage, "DefaultRouteSettings")).containsKeys("ThrottlingRateLimit",
                "ThrottlingBurstLimit");
        assertThat((Map<String, Object>) at(stage, "AccessLogSettings", "DestinationArn")).containsKey("Fn::GetAtt");
        String format = at(stage, "AccessLogSettings", "Format");
        assertThat(format).contains("$context.requestId", "$context.status", "$context.routeKey")
                .doesNotContain("querystring", "$context.authorizer.token", "header");
    }

    @Test
    void knativeServiceScalesToZeroProbesItsServingPortAndTakesItsEnvironmentFromConfigMapAndSecret() {
        Map<String, Object> service = DeployFiles.yaml("knative/service.yaml");
        assertThat(service.get("apiVersion")).isEqualTo("serving.knative.dev/v1");
        Map<String, String> annotations = at(service, "spec", "template", "metadata", "annotations");
        assertThat(annotations).containsEntry("autoscaling.knative.dev/min-scale", "0")
                .containsKeys("autoscaling.knative.dev/max-scale", "autoscaling.knative.dev/target",
                        "autoscaling.knative.dev/metric");
        assertThat((Integer) at(service, "spec", "template", "spec", "containerConcurrency")).isPositive();
        Map<String, Object> container = at(service, "spec", "template", "spec", "containers", 0);
        // Knative probes the serving port only; the health endpoints are on the management port, so a TCP check.
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat((Integer) at(container, probe, "tcpSocket", "port")).as(probe).isEqualTo(8080);
            assertThat((Map<String, Object>) at(container, probe)).as(probe).doesNotContainKey("httpGet");
        }
        assertThat((Map<String, Object>) at(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat((Map<String, Object>) at(container, "resources", "limits")).containsKeys("memory");
        assertThat((Integer) at(container, "ports", 0, "containerPort")).isEqualTo(8080);

        assertThat((String) at(container, "envFrom", 0, "configMapRef", "name"))
                .isEqualTo(at(DeployFiles.yaml("knative/configmap.yaml"), "metadata", "name"));
        assertThat((String) at(container, "envFrom", 1, "secretRef", "name"))
                .isEqualTo(at(DeployFiles.yaml("knative/secret.example.yaml"), "metadata", "name"));
        Map<String, Object> config = at(DeployFiles.yaml("knative/configmap.yaml"), "data");
        String configurationPage = DeployFiles.read(Path.of("docs/configuration.md"));
        // QUARKUS_DYNAMODB_* variables are documented as the twins of the QUARKUS_S3_* ones.
        assertThat(config.keySet()).allSatisfy(variable -> assertThat(configurationPage).contains(
                variable.startsWith("QUARKUS_DYNAMODB_") ? "`" + variable.replace("DYNAMODB", "S3") + "`" : "`" + variable + "`"));
        assertThat(configurationPage).contains("`QUARKUS_DYNAMODB_*`");
    }

    @Test
    void ecsProbesRealPathsOnTheManagementPortScalesByTargetTrackingAndOutwaitsGracefulShutdown() {
        Map<String, Object> task = DeployFiles.json("ecs/task-definition.json");
        Map<String, Object> container = at(task, "containerDefinitions", 0);
        assertThat(String.join(" ", (List<String>) at(container, "healthCheck", "command")))
                .contains("http://localhost:" + MANAGEMENT_PORT + "/q/health/live");
        assertThat((Integer) at(container, "portMappings", 0, "containerPort")).isEqualTo(8080);
        assertThat((Integer) at(container, "portMappings", 1, "containerPort")).isEqualTo(MANAGEMENT_PORT);
        assertThat(container.get("user")).isNotIn("0", "root");
        int stopTimeout = at(container, "stopTimeout");

        Map<String, Object> resources = at(DeployFiles.yaml("ecs/service.yaml"), "Resources");
        assertThat((String) at(resources, "TargetGroup", "Properties", "HealthCheckPath")).isEqualTo("/q/health/ready");
        assertThat((String) at(resources, "TargetGroup", "Properties", "HealthCheckPort"))
                .isEqualTo(Integer.toString(MANAGEMENT_PORT));
        assertThat((Integer) at(resources, "TargetGroup", "Properties", "Port")).isEqualTo(8080);
        assertThat((String) at(resources, "ScalableTarget", "Type")).isEqualTo("AWS::ApplicationAutoScaling::ScalableTarget");
        assertThat(resources.values()).filteredOn(resource -> "AWS::ApplicationAutoScaling::ScalingPolicy"
                .equals(((Map<?, ?>) resource).get("Type")))
                .isNotEmpty()
                .allSatisfy(policy -> assertThat((String) at(policy, "Properties", "PolicyType"))
                        .isEqualTo("TargetTrackingScaling"));

        int shutdownSeconds = shutdownTimeoutSeconds();
        assertThat(stopTimeout).isGreaterThan(shutdownSeconds);
        List<Map<String, Object>> attributes = at(resources, "TargetGroup", "Properties", "TargetGroupAttributes");
        assertThat(attributes).anySatisfy(attribute -> {
            assertThat(attribute.get("Key")).isEqualTo("deregistration_delay.timeout_seconds");
            assertThat(Integer.parseInt((String) attribute.get("Value"))).isBetween(shutdownSeconds, stopTimeout);
        });
    }

    @Test
    void healthAndMetricsAreOnTheManagementInterfaceAtItsDefaultPort() {
        String properties = DeployFiles.read(Path.of("src/main/resources/application.properties"));
        assertThat(properties).contains("\nquarkus.management.enabled=true\n")
                .doesNotContainPattern("(?m)^(%prod\\.)?quarkus\\.management\\.port=");
    }

    @Test
    void dockerfilesDocumentBuildRunAndProbesAndRunAsNonRoot() throws IOException {
        for (String name : List.of("Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro")) {
            String dockerfile = DeployFiles.read(DeployFiles.DOCKER.resolve(name));
            String header = dockerfile.substring(0, dockerfile.indexOf("\nFROM "));
            assertThat(header).as(name).contains("docker build -f src/main/docker/" + name, "docker run",
                    "./mvnw package", "/q/health/live", "/q/health/ready", "/q/health/started");
            assertThat(header).as(name).contains("management port " + MANAGEMENT_PORT);
            assertThat(dockerfile).as(name).contains("\nEXPOSE 8080 " + MANAGEMENT_PORT + "\n")
                    .doesNotContainPattern("(?m)^HEALTHCHECK");
            Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
            String lastUser = null;
            while (user.find()) {
                lastUser = user.group(1);
            }
            assertThat(lastUser).as(name + " user").isNotNull().isNotIn("0", "root");
        }
    }

    private static Set<String> sdkCallsInMainCode() throws IOException {
        Set<String> calls = new TreeSet<>();
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(candidate -> candidate.toString().endsWith(".java"))
                    // The dev-mode emulators are not the service.
                    .filter(candidate -> !candidate.toString().contains("embedded")).toList()) {
                String source = DeployFiles.read(file);
                // Only the classes holding an SDK client call AWS (PresignService, the DynamoDB adapters).
                if (!source.contains("import software.amazon.awssdk.services.s3.S3Client;")
                        && !source.contains("import software.amazon.awssdk.services.dynamodb.DynamoDbClient;")) {
                    continue;
                }
                Matcher call = SDK_CALL.matcher(source);
                while (call.find()) {
                    // The client's own settings (region, credentials provider): read locally, no request, no action.
                    if (!call.group(2).equals("serviceClientConfiguration")) {
                        calls.add(call.group(1) + "." + call.group(2));
                    }
                }
            }
        }
        return calls;
    }

    /** The body of the method whose declaration starts with {@code signature}, up to its closing brace. */
    private static String methodBody(String source, String signature) {
        int start = source.indexOf(signature);
        assertThat(start).as(signature).isNotNegative();
        return source.substring(start, source.indexOf("\n    }\n", start));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        return (List<Map<String, Object>>) policy.get("Statement");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> actions(Map<String, Object> policy) {
        Set<String> actions = new TreeSet<>();
        for (Map<String, Object> statement : statements(policy)) {
            Object action = statement.get("Action");
            if (action instanceof String single) {
                actions.add(single);
            } else {
                actions.addAll((List<String>) action);
            }
        }
        return actions;
    }

    @SuppressWarnings("unchecked")
    private static void assertIndex(Map<String, Object> index, String name, String partition, String sort,
            String projection) {
        assertThat(index.get("IndexName")).isEqualTo(name);
        assertThat((List<Map<String, Object>>) at(index, "KeySchema")).as(name).containsExactly(
                Map.of("AttributeName", partition, "KeyType", "HASH"), Map.of("AttributeName", sort, "KeyType", "RANGE"));
        assertThat((String) at(index, "Projection", "ProjectionType")).as(name).isEqualTo(projection);
    }

    private static String itemAttribute(String constant) throws ReflectiveOperationException {
        Field field = Class.forName("dev.freight.upload.storage.UploadItem").getDeclaredField(constant);
        field.setAccessible(true);
        return (String) field.get(null);
    }

    private static int shutdownTimeoutSeconds() {
        Matcher timeout = Pattern.compile("(?m)^quarkus\\.shutdown\\.timeout=(\\d+)S$")
                .matcher(DeployFiles.read(Path.of("src/main/resources/application.properties")));
        assertThat(timeout.find()).as("quarkus.shutdown.timeout in seconds").isTrue();
        return Integer.parseInt(timeout.group(1));
    }
}
