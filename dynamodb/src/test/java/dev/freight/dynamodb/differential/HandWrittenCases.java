package dev.freight.dynamodb.differential;

import java.util.List;

/** Hand-written differential cases: every attribute type, expressions, queries over indexes, pages, errors. */
final class HandWrittenCases {

    private HandWrittenCases() {
    }

    private static final String EVERY_TYPE = """
            {"pk":{"S":"all"},"sk":{"S":"types"},
             "s":{"S":"text é ✓"},"n":{"N":"-12.50"},"big":{"N":"12345678901234567890123456789012345678"},
             "tiny":{"N":"0.000000000000000000000000000000000000001"},"e":{"N":"1E+3"},
             "b":{"B":"AQID"},"t":{"BOOL":true},"f":{"BOOL":false},"nul":{"NULL":true},
             "l":{"L":[{"S":"x"},{"N":"1"},{"L":[{"BOOL":false}]},{"M":{"k":{"S":"v"}}}]},
             "m":{"M":{"inner":{"M":{"deep":{"L":[{"N":"3"},{"S":"three"}]}}},"flag":{"NULL":true}}},
             "ss":{"SS":["b","a","c"]},"ns":{"NS":["10","2","-1.5"]},"bs":{"BS":["AQ==","Ag=="]},
             "emptyS":{"S":""},"emptyL":{"L":[]},"emptyM":{"M":{}}}""";

    static List<DiffCase> all() {
        return List.of(
                DiffCase.named("every attribute type round-trips through PutItem and GetItem")
                        .hashRangeTable().items(EVERY_TYPE)
                        .same("GetItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"all"},"sk":{"S":"types"}}}""")
                        .same("GetItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"all"},"sk":{"S":"types"}},"ConsistentRead":true,
                                 "ProjectionExpression":"m.inner.deep[1], l[2], #s, ns, nothing",
                                 "ExpressionAttributeNames":{"#s":"s"}}""")
                        .same("GetItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"all"},"sk":{"S":"missing"}}}""")
                        .build(),

                DiffCase.named("numbers are stored in canonical form")
                        .hashTable().items("""
                                {"pk":{"S":"n"},"a":{"N":"1.50"},"b":{"N":"-0"},"c":{"N":"0100"},"d":{"N":"1.0e2"},"e":{"N":"-0.00100"}}""")
                        .same("GetItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"n"}}}""")
                        .build(),

                DiffCase.named("PutItem ReturnValues ALL_OLD and a condition that fails")
                        .hashTable().items("""
                                {"pk":{"S":"a"},"v":{"N":"1"}}""")
                        .same("PutItem", """
                                {"TableName":"$T","Item":{"pk":{"S":"a"},"v":{"N":"2"}},"ReturnValues":"ALL_OLD"}""")
                        .same("PutItem", """
                                {"TableName":"$T","Item":{"pk":{"S":"a"},"v":{"N":"3"}},
                                 "ConditionExpression":"attribute_not_exists(pk)"}""")
                        .same("PutItem", """
                                {"TableName":"$T","Item":{"pk":{"S":"a"},"v":{"N":"3"}},
                                 "ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2.0"}},"ReturnValues":"ALL_OLD"}""")
                        .same("GetItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"a"}}}""")
                        .build(),

                DiffCase.named("conditions: comparisons, functions, IN, BETWEEN, AND/OR/NOT")
                        .hashTable().items("""
                                {"pk":{"S":"c"},"n":{"N":"5"},"s":{"S":"hello world"},"l":{"L":[{"S":"a"},{"N":"2"}]},
                                 "ss":{"SS":["red","blue"]},"m":{"M":{"x":{"N":"1"}}},"b":{"B":"AQID"}}""")
                        .same("PutItem", """
                                {"TableName":"$T","Item":{"pk":{"S":"c"}},
                                 "ConditionExpression":"n BETWEEN :lo AND :hi AND begins_with(s, :h) AND contains(ss, :red) AND contains(l, :two) AND size(l) = :two AND attribute_type(m, :M) AND NOT attribute_exists(zz) AND (n IN (:one, :five) OR s < :z)",
                                 "ExpressionAttributeValues":{":lo":{"N":"4"},":hi":{"N":"6"},":h":{"S":"hell"},":red":{"S":"red"},":two":{"N":"2"},":M":{"S":"M"},":one":{"N":"1"},":five":{"N":"5"},":z":{"S":"z"}},
                                 "ReturnValues":"ALL_OLD"}""")
                        .same("PutItem", """
                                {"TableName":"$T","Item":{"pk":{"S":"c"},"n":{"N":"7"}},
                                 "ConditionExpression":"attribute_exists(n) AND n <> :n","ExpressionAttributeValues":{":n":{"N":"7"}}}""")
                        .same("PutItem", """
                                {"TableName":"$T","Item":{"pk":{"S":"c"},"n":{"N":"8"}},
                                 "ConditionExpression":"size(#m) > :z OR contains(#s, :sub)",
                                 "ExpressionAttributeNames":{"#m":"m","#s":"s"},"ExpressionAttributeValues":{":z":{"N":"5"},":sub":{"S":"nope"}}}""")
                        .same("GetItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"c"}}}""")
                        .build(),

                DiffCase.named("comparisons across types are false, not errors")
                        .hashTable().items("""
                                {"pk":{"S":"x"},"n":{"N":"5"},"s":{"S":"5"}}""")
                        .same("DeleteItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"x"}},"ConditionExpression":"n = :s OR s > :n",
                                 "ExpressionAttributeValues":{":s":{"S":"5"},":n":{"N":"4"}}}""")
                        .same("DeleteItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"x"}},"ConditionExpression":"n = :n","ReturnValues":"ALL_OLD",
                                 "ExpressionAttributeValues":{":n":{"N":"5"}}}""")
                        .same("GetItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"x"}}}""")
                        .build(),

                DiffCase.named("update expressions: SET arithmetic, list_append, if_not_exists, nested paths")
                        .hashTable().items("""
                                {"pk":{"S":"u"},"n":{"N":"10"},"l":{"L":[{"S":"a"}]},"m":{"M":{"in":{"M":{"v":{"N":"1"}}}}}}""")
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"u"}},
                                 "UpdateExpression":"SET n = n + :five, l = list_append(l, :more), m.#in.v = m.#in.v - :one, created = if_not_exists(created, :now), l2 = list_append(:front, if_not_exists(l2, :empty))",
                                 "ExpressionAttributeNames":{"#in":"in"},
                                 "ExpressionAttributeValues":{":five":{"N":"5"},":more":{"L":[{"S":"b"},{"N":"2"}]},":one":{"N":"1"},":now":{"N":"1700000000"},":front":{"L":[{"S":"f"}]},":empty":{"L":[]}},
                                 "ReturnValues":"ALL_NEW"}""")
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"u"}},
                                 "UpdateExpression":"SET created = if_not_exists(created, :later), l[0] = :z, l[10] = :tail",
                                 "ExpressionAttributeValues":{":later":{"N":"1800000000"},":z":{"S":"z"},":tail":{"S":"tail"}},
                                 "ReturnValues":"UPDATED_NEW"}""")
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"u"}},"UpdateExpression":"REMOVE l[1], m.#in SET x = :x",
                                 "ExpressionAttributeNames":{"#in":"in"},"ExpressionAttributeValues":{":x":{"BOOL":true}},
                                 "ReturnValues":"UPDATED_OLD"}""")
                        .same("GetItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"u"}},"ConsistentRead":true}""")
                        .build(),

                DiffCase.named("update expressions: ADD and DELETE on numbers and sets")
                        .hashTable().items("""
                                {"pk":{"S":"s"},"n":{"N":"1"},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"bs":{"BS":["AQ=="]}}""")
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"s"}},
                                 "UpdateExpression":"ADD n :two, ss :cd, ns :three, fresh :one, freshSet :xy DELETE bs :bs",
                                 "ExpressionAttributeValues":{":two":{"N":"2"},":cd":{"SS":["c","d","a"]},":three":{"NS":["3"]},":one":{"N":"1"},":xy":{"SS":["x","y"]},":bs":{"BS":["AQ=="]}},
                                 "ReturnValues":"ALL_NEW"}""")
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"s"}},"UpdateExpression":"DELETE ss :ab, missing :ab",
                                 "ExpressionAttributeValues":{":ab":{"SS":["a","b","zz"]}},"ReturnValues":"UPDATED_NEW"}""")
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"s"}},"UpdateExpression":"ADD ss :n",
                                 "ExpressionAttributeValues":{":n":{"N":"1"}}}""")
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"s"}},"UpdateExpression":"SET n = n + :s",
                                 "ExpressionAttributeValues":{":s":{"S":"1"}}}""")
                        .same("GetItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"s"}}}""")
                        .build(),

                DiffCase.named("UpdateItem creates the item, with a condition and without")
                        .hashRangeTable()
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"new"},"sk":{"S":"1"}},"UpdateExpression":"SET v = :v",
                                 "ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":v":{"S":"v"}}}""")
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"new"},"sk":{"S":"1"}},"UpdateExpression":"SET v = :v",
                                 "ExpressionAttributeValues":{":v":{"S":"v"}},"ReturnValues":"ALL_OLD"}""")
                        .same("UpdateItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"new"},"sk":{"S":"2"}},"UpdateExpression":"REMOVE v","ReturnValues":"ALL_NEW"}""")
                        .same("Query", """
                                {"TableName":"$T","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"new"}}}""")
                        .build(),

                queryCase(),

                DiffCase.named("query pages with Limit, ExclusiveStartKey and a filter")
                        .hashRangeTable()
                        .items(tenItems())
                        .same("Query", """
                                {"TableName":"$T","KeyConditionExpression":"pk = :p","Limit":3,"ExpressionAttributeValues":{":p":{"S":"q"}}}""")
                        .same("Query", """
                                {"TableName":"$T","KeyConditionExpression":"pk = :p","Limit":3,"ExpressionAttributeValues":{":p":{"S":"q"}},
                                 "ExclusiveStartKey":{"pk":{"S":"q"},"sk":{"S":"03"}}}""")
                        .same("Query", """
                                {"TableName":"$T","KeyConditionExpression":"pk = :p","Limit":4,"FilterExpression":"n > :five",
                                 "ExpressionAttributeValues":{":p":{"S":"q"},":five":{"N":"5"}},"ScanIndexForward":false}""")
                        .same("Query", """
                                {"TableName":"$T","KeyConditionExpression":"pk = :p","Limit":10,"ExpressionAttributeValues":{":p":{"S":"q"}}}""")
                        .same("Query", """
                                {"TableName":"$T","KeyConditionExpression":"pk = :p","Limit":9,"ExpressionAttributeValues":{":p":{"S":"q"}},
                                 "ExclusiveStartKey":{"pk":{"S":"q"},"sk":{"S":"01"}}}""")
                        .same("Query", """
                                {"TableName":"$T","KeyConditionExpression":"pk = :p","Select":"COUNT","FilterExpression":"attribute_exists(odd)",
                                 "ExpressionAttributeValues":{":p":{"S":"q"}}}""")
                        .build(),

                DiffCase.named("scan with a filter, projection and Select COUNT")
                        .hashRangeTable()
                        .items(tenItems())
                        .items("""
                                {"pk":{"S":"other"},"sk":{"S":"x"},"n":{"N":"100"}}""")
                        .sameUnordered("Scan", """
                                {"TableName":"$T","FilterExpression":"n >= :six","ExpressionAttributeValues":{":six":{"N":"6"}},
                                 "ProjectionExpression":"sk, n"}""")
                        .sameUnordered("Scan", """
                                {"TableName":"$T","Select":"COUNT"}""")
                        .same("Scan", """
                                {"TableName":"$T","Select":"COUNT","FilterExpression":"attribute_not_exists(odd)"}""")
                        .build(),

                gsiCase(),

                DiffCase.named("batch writes and gets")
                        .hashTable()
                        .setup("CreateTable", """
                                {"TableName":"$U","BillingMode":"PAY_PER_REQUEST",
                                 "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"N"}],
                                 "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}""")
                        .items("""
                                {"pk":{"S":"gone"}}""")
                        .same("BatchWriteItem", """
                                {"RequestItems":{
                                  "$T":[{"PutRequest":{"Item":{"pk":{"S":"a"},"v":{"N":"1"}}}},{"PutRequest":{"Item":{"pk":{"S":"b"},"v":{"SS":["x"]}}}},
                                        {"DeleteRequest":{"Key":{"pk":{"S":"gone"}}}}],
                                  "$U":[{"PutRequest":{"Item":{"id":{"N":"1"},"v":{"S":"one"}}}},{"PutRequest":{"Item":{"id":{"N":"2"}}}}]}}""")
                        .same("BatchGetItem", """
                                {"RequestItems":{
                                  "$T":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"b"}},{"pk":{"S":"gone"}},{"pk":{"S":"never"}}]},
                                  "$U":{"Keys":[{"id":{"N":"1"}},{"id":{"N":"2"}}],"ProjectionExpression":"#v","ExpressionAttributeNames":{"#v":"v"},"ConsistentRead":true}}}""")
                        .same("BatchWriteItem", """
                                {"RequestItems":{"$T":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"a"}}}}]}}""")
                        .same("BatchGetItem", """
                                {"RequestItems":{"$T":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"a"}}]}}}""")
                        .same("BatchWriteItem", """
                                {"RequestItems":{"nope_$T":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}]}}""")
                        .build(),

                DiffCase.named("deletes: ReturnValues ALL_OLD, missing items, conditions")
                        .hashTable().items("""
                                {"pk":{"S":"d"},"v":{"L":[{"N":"1"}]}}""")
                        .same("DeleteItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"d"}},"ConditionExpression":"size(v) > :one","ExpressionAttributeValues":{":one":{"N":"1"}}}""")
                        .same("DeleteItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"d"}},"ReturnValues":"ALL_OLD"}""")
                        .same("DeleteItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"d"}},"ReturnValues":"ALL_OLD"}""")
                        .same("DeleteItem", """
                                {"TableName":"$T","Key":{"pk":{"S":"d"}},"ConditionExpression":"attribute_exists(pk)"}""")
                        .build(),

                dynaliteDiffersCase(),
                validationCase(),
                keyValidationCase(),
                tableCase());
    }

    private static String[] tenItems() {
        String[] items = new String[10];
        for (int i = 0; i < 10; i++) {
            items[i] = String.format("{\"pk\":{\"S\":\"q\"},\"sk\":{\"S\":\"%02d\"},\"n\":{\"N\":\"%d\"}%s}", i, i,
                    i % 2 == 1 ? ",\"odd\":{\"BOOL\":true}" : "");
        }
        return items;
    }

    private static DiffCase queryCase() {
        return DiffCase.named("key conditions: =, <, >=, BETWEEN, begins_with; both directions")
                .setup("CreateTable", """
                        {"TableName":"$T","BillingMode":"PAY_PER_REQUEST",
                         "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"num","AttributeType":"N"}],
                         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
                         "LocalSecondaryIndexes":[{"IndexName":"byNum","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"num","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}""")
                .items("""
                        {"pk":{"S":"p"},"sk":{"S":"a#1"},"num":{"N":"-5"}}""", """
                        {"pk":{"S":"p"},"sk":{"S":"a#2"},"num":{"N":"10"}}""", """
                        {"pk":{"S":"p"},"sk":{"S":"b#1"},"num":{"N":"2.5"}}""", """
                        {"pk":{"S":"p"},"sk":{"S":"B#1"},"num":{"N":"100"}}""", """
                        {"pk":{"S":"p"},"sk":{"S":"a"}}""", """
                        {"pk":{"S":"other"},"sk":{"S":"a#1"},"num":{"N":"0"}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"pk = :p AND begins_with(sk, :a)","ExpressionAttributeValues":{":p":{"S":"p"},":a":{"S":"a#"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"#k = :p AND sk BETWEEN :lo AND :hi","ScanIndexForward":false,
                         "ExpressionAttributeNames":{"#k":"pk"},"ExpressionAttributeValues":{":p":{"S":"p"},":lo":{"S":"B"},":hi":{"S":"a#2"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"sk < :b AND pk = :p","ExpressionAttributeValues":{":p":{"S":"p"},":b":{"S":"b"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"pk = :p AND sk >= :b","ExpressionAttributeValues":{":p":{"S":"p"},":b":{"S":"a#2"}}}""")
                .same("Query", """
                        {"TableName":"$T","IndexName":"byNum","KeyConditionExpression":"pk = :p AND num > :z","ExpressionAttributeValues":{":p":{"S":"p"},":z":{"N":"-10"}}}""")
                .same("Query", """
                        {"TableName":"$T","IndexName":"byNum","KeyConditionExpression":"pk = :p","ScanIndexForward":false,"Limit":2,"ExpressionAttributeValues":{":p":{"S":"p"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"pk = :p AND sk BETWEEN :hi AND :lo","ExpressionAttributeValues":{":p":{"S":"p"},":lo":{"S":"B"},":hi":{"S":"a#2"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"pk = :p AND begins_with(num, :a)","ExpressionAttributeValues":{":p":{"S":"p"},":a":{"S":"a"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"pk > :p","ExpressionAttributeValues":{":p":{"S":"p"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"pk = :p AND sk = :s AND sk = :s","ExpressionAttributeValues":{":p":{"S":"p"},":s":{"S":"a"}}}""")
                .build();
    }

    private static DiffCase gsiCase() {
        return DiffCase.named("global secondary indexes: sparse, KEYS_ONLY, INCLUDE, ALL")
                .setup("CreateTable", """
                        {"TableName":"$T","BillingMode":"PAY_PER_REQUEST",
                         "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"owner","AttributeType":"S"},
                                                 {"AttributeName":"created","AttributeType":"N"},{"AttributeName":"status","AttributeType":"S"}],
                         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
                         "GlobalSecondaryIndexes":[
                           {"IndexName":"byOwner","KeySchema":[{"AttributeName":"owner","KeyType":"HASH"},{"AttributeName":"created","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}},
                           {"IndexName":"open","KeySchema":[{"AttributeName":"status","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}},
                           {"IndexName":"ownerSize","KeySchema":[{"AttributeName":"owner","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["size"]}}]}""")
                .sameTable("DescribeTable", """
                        {"TableName":"$T"}""")
                .items("""
                        {"pk":{"S":"f1"},"owner":{"S":"ann"},"created":{"N":"3"},"status":{"S":"open"},"size":{"N":"10"},"name":{"S":"one"}}""", """
                        {"pk":{"S":"f2"},"owner":{"S":"ann"},"created":{"N":"1"},"size":{"N":"20"}}""", """
                        {"pk":{"S":"f3"},"owner":{"S":"bob"},"created":{"N":"2"},"status":{"S":"open"}}""", """
                        {"pk":{"S":"f4"},"owner":{"S":"ann"},"size":{"N":"40"}}""", """
                        {"pk":{"S":"f5"},"name":{"S":"orphan"}}""")
                .same("Query", """
                        {"TableName":"$T","IndexName":"byOwner","KeyConditionExpression":"#o = :ann","ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":ann":{"S":"ann"}}}""")
                .same("Query", """
                        {"TableName":"$T","IndexName":"byOwner","KeyConditionExpression":"#o = :ann AND created > :one","ScanIndexForward":false,"ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":ann":{"S":"ann"},":one":{"N":"0"}}}""")
                .same("Query", """
                        {"TableName":"$T","IndexName":"open","KeyConditionExpression":"#s = :open","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":open":{"S":"open"}}}""")
                .sameUnordered("Query", """
                        {"TableName":"$T","IndexName":"ownerSize","KeyConditionExpression":"#o = :ann","ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":ann":{"S":"ann"}}}""")
                .sameUnordered("Scan", """
                        {"TableName":"$T","IndexName":"open"}""")
                .same("Query", """
                        {"TableName":"$T","IndexName":"byOwner","ConsistentRead":true,"KeyConditionExpression":"#o = :ann","ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":ann":{"S":"ann"}}}""")
                .same("Query", """
                        {"TableName":"$T","IndexName":"nope","KeyConditionExpression":"#o = :ann","ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":ann":{"S":"ann"}}}""")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":"f6"},"owner":{"N":"1"}}}""")
                .setup("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"f1"}},"UpdateExpression":"REMOVE #s SET created = :c","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":c":{"N":"0"}}}""")
                .same("Query", """
                        {"TableName":"$T","IndexName":"open","KeyConditionExpression":"#s = :open","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":open":{"S":"open"}}}""")
                .same("Query", """
                        {"TableName":"$T","IndexName":"byOwner","KeyConditionExpression":"#o = :ann","Limit":1,"ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":ann":{"S":"ann"}}}""")
                .build();
    }

    private static final String ODD_ITEM = """
            {"pk":{"S":"w"},"m":{"M":{"a":{"N":"1"}}},"l":{"L":[{"BOOL":true},{"M":{"k":{"S":"v"}}}]},"f":{"BOOL":false},"n":{"N":"1.5"},"e":{"S":""}}""";

    /**
     * Where dynalite is known to answer differently from DynamoDB (dynalite's db/index.js: valsEqual compares lists
     * and maps by object identity and numbers as strings; compare() treats a BOOL false attribute as missing in IN;
     * contains() finds only S, N and B elements): the engine must give DynamoDB's answer, per the comparison operator
     * reference (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html:
     * "a = b — true if a is equal to b", "a IN (b, c, d) — true if a is equal to any value in the list", contains is
     * true for "a List that contains a particular element") and numbers compared by value.
     */
    private static DiffCase dynaliteDiffersCase() {
        String source = "dynalite db/index.js differs; DynamoDB's operator reference, Expressions.OperatorsAndFunctions.html";
        String unchanged = "{\"Attributes\":" + ODD_ITEM + "}";
        return DiffCase.named("conditions where dynalite differs from DynamoDB: maps, lists, false, numbers by value")
                .hashTable().items(ODD_ITEM)
                .aws("PutItem", putOddItemIf("m = :m AND l[1] = :lm AND l <> :other",
                        "\":m\":{\"M\":{\"a\":{\"N\":\"1\"}}},\":lm\":{\"M\":{\"k\":{\"S\":\"v\"}}},\":other\":{\"L\":[]}"),
                        unchanged, source)
                .aws("PutItem", putOddItemIf("f IN (:f, :x) AND contains(l, :t) AND contains(l, :lm)",
                        "\":f\":{\"BOOL\":false},\":x\":{\"S\":\"x\"},\":t\":{\"BOOL\":true},\":lm\":{\"M\":{\"k\":{\"S\":\"v\"}}}"),
                        unchanged, source)
                .aws("PutItem", putOddItemIf("n = :n AND n IN (:n)", "\":n\":{\"N\":\"1.50\"}"),
                        unchanged, source + "; numbers: 'Leading and trailing zeroes are trimmed', "
                                + "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html")
                .aws("PutItem", putOddItemIf("attribute_type(f, :bool)", "\":bool\":{\"S\":\"BOOL\"}"), unchanged, source)
                // size() of an empty string is 0 ("size(path) returns ... the length of the string"); dynalite's size()
                // takes "" for a missing value (db/index.js resolveArg).
                .aws("PutItem", putOddItemIf("size(e) = :zero", "\":zero\":{\"N\":\"0\"}"), unchanged, source)
                // size() of a number is no error but a false condition: DynamoDB tested in
                // https://github.com/scylladb/scylladb/issues/14592 (dynalite agrees).
                .same("PutItem", putOddItemIf("size(n) > :z OR size(f) > :z", "\":z\":{\"N\":\"0\"}"))
                .build();
    }

    /** PutItem of {@link #ODD_ITEM} over itself under a condition, returning the old item. */
    private static String putOddItemIf(String condition, String values) {
        return "{\"TableName\":\"$T\",\"Item\":" + ODD_ITEM + ",\"ReturnValues\":\"ALL_OLD\",\"ConditionExpression\":\""
                + condition + "\",\"ExpressionAttributeValues\":{" + values + "}}";
    }

    private static DiffCase validationCase() {
        return DiffCase.named("expression validation: reserved words, unused and missing names and values, overlapping paths")
                .hashTable().items("""
                        {"pk":{"S":"v"},"a":{"M":{"b":{"N":"1"}}},"n":{"N":"1"}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET status = :s","ExpressionAttributeValues":{":s":{"S":"x"}}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET a = :s","ExpressionAttributeNames":{"#unused":"x"},"ExpressionAttributeValues":{":s":{"S":"x"}}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET a = :s","ExpressionAttributeValues":{":s":{"S":"x"},":unused":{"S":"y"}}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET #missing = :s","ExpressionAttributeValues":{":s":{"S":"x"}}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET a = :missing"}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET a.b = :one, a = :one","ExpressionAttributeValues":{":one":{"N":"1"}}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET n = :one REMOVE n","ExpressionAttributeValues":{":one":{"N":"1"}}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET pk = :k","ExpressionAttributeValues":{":k":{"S":"other"}}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"SS":[]}}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET a.b.c = :one","ExpressionAttributeValues":{":one":{"N":"1"}}}""")
                .same("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET nothere.b = :one","ExpressionAttributeValues":{":one":{"N":"1"}}}""")
                // dynalite words syntax errors as its parser generator does; DynamoDB as 'Syntax error; token: "<EOF>",
                // near: ...' (real DynamoDB quoted in moto's tests, getmoto/moto tests/test_dynamodb): type only.
                .awsError("UpdateItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}},"UpdateExpression":"SET a = :one,","ExpressionAttributeValues":{":one":{"N":"1"}}}""",
                        "ValidationException", "dynalite's syntax error text is its own")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":"v"}},"ConditionExpression":"size = :one","ExpressionAttributeValues":{":one":{"N":"1"}}}""")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":"v"}},"ConditionExpression":"attribute_type(n, :t)","ExpressionAttributeValues":{":t":{"S":"XX"}}}""")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":"v"}},"ConditionExpression":"n BETWEEN :hi AND :lo","ExpressionAttributeValues":{":hi":{"N":"9"},":lo":{"N":"1"}}}""")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":"v"}},"ConditionExpression":"unknownfn(n)"}""")
                .same("Scan", """
                        {"TableName":"$T","FilterExpression":"n > :x","ExpressionAttributeValues":{":x":{"N":"not a number"}}}""")
                .same("GetItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"v"}}}""")
                .build();
    }

    private static DiffCase keyValidationCase() {
        return DiffCase.named("key and item validation")
                .hashRangeTable()
                .same("GetItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"a"}}}""")
                .same("GetItem", """
                        {"TableName":"$T","Key":{"pk":{"N":"1"},"sk":{"S":"a"}}}""")
                .same("GetItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"a"},"sk":{"S":"a"},"extra":{"S":"a"}}}""")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":""},"sk":{"S":"a"}}}""")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":"a"}}}""")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":"a"},"sk":{"S":"a"},"ss":{"SS":["x","x"]}}}""")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":"a"},"sk":{"S":"a"},"n":{"N":"1e126"}}}""")
                .same("PutItem", """
                        {"TableName":"$T","Item":{"pk":{"S":"a"},"sk":{"S":"a"},"n":{"N":"12345678901234567890123456789012345678901"}}}""")
                .same("PutItem", """
                        {"TableName":"missing_$T","Item":{"pk":{"S":"a"},"sk":{"S":"a"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"sk = :s","ExpressionAttributeValues":{":s":{"S":"a"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"pk = :p AND notkey = :s","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"S":"a"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"pk = :p OR sk = :s","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"S":"a"}}}""")
                .same("Query", """
                        {"TableName":"$T","KeyConditionExpression":"pk = :p","Limit":0,"ExpressionAttributeValues":{":p":{"S":"a"}}}""")
                .build();
    }

    private static DiffCase tableCase() {
        return DiffCase.named("tables: create, describe, duplicates, bad definitions, delete")
                .hashRangeTable()
                .sameTable("DescribeTable", """
                        {"TableName":"$T"}""")
                // dynalite answers an empty message; DynamoDB names the table, as users quote it.
                .aws("CreateTable", """
                        {"TableName":"$T","BillingMode":"PAY_PER_REQUEST",
                         "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
                         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}""",
                        """
                        {"error":"ResourceInUseException","message":"Table already exists: $T"}""",
                        "real DynamoDB quoted in https://github.com/joshsymonds/Dynamoid/issues/178 and "
                                + "https://github.com/localstack/localstack/issues/4716 ('Table already exists: <name>')")
                .same("CreateTable", """
                        {"TableName":"$U","BillingMode":"PAY_PER_REQUEST",
                         "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"unused","AttributeType":"S"}],
                         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}""")
                .same("CreateTable", """
                        {"TableName":"$U","BillingMode":"PAY_PER_REQUEST",
                         "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"BOOL"}],
                         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}""")
                .same("CreateTable", """
                        {"TableName":"a","BillingMode":"PAY_PER_REQUEST",
                         "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
                         "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}""")
                .same("DescribeTable", """
                        {"TableName":"missing_$T"}""")
                .sameTable("DeleteTable", """
                        {"TableName":"$T"}""")
                .same("GetItem", """
                        {"TableName":"$T","Key":{"pk":{"S":"a"},"sk":{"S":"a"}}}""")
                .build();
    }
}
