package dev.freight.dynamodb.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freight.dynamodb.differential.DiffCase.Compare;
import dev.freight.dynamodb.differential.DiffCase.Step;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The same requests, byte for byte, to dynalite (an independent implementation) and to this engine: the same items,
 * orders, pages, counts and errors, or the case fails with both answers. Hand-written cases ({@link HandWrittenCases})
 * and seeded generated ones ({@link GeneratedCases}). What dynalite lacks (transactions, TTL) lives in the table tests.
 */
class DifferentialTest {

    private static DynaliteServer dynalite;
    private static EngineUnderTest engine;
    private static WireClient reference;
    private static WireClient underTest;

    @BeforeAll
    static void start() throws Exception {
        dynalite = DynaliteServer.start();
        engine = EngineUnderTest.start();
        reference = new WireClient(dynalite.endpoint());
        underTest = new WireClient(engine.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> handWritten() {
        return tests("h", HandWrittenCases.all());
    }

    @TestFactory
    Stream<DynamicTest> generated() {
        return tests("g", GeneratedCases.all(27L, 40));
    }

    private static Stream<DynamicTest> tests(String prefix, List<DiffCase> cases) {
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            DiffCase diffCase = cases.get(i);
            String tables = prefix + i;
            tests.add(DynamicTest.dynamicTest(diffCase.name(), () -> run(diffCase, tables)));
        }
        return tests.stream();
    }

    private static void run(DiffCase diffCase, String tables) throws Exception {
        List<String> knownOnes = new ArrayList<>();
        for (int i = 0; i < diffCase.steps().size(); i++) {
            Step step = diffCase.steps().get(i);
            byte[] body = step.request().replace("$T", tables + "_t").replace("$U", tables + "_u")
                    .getBytes(StandardCharsets.UTF_8);
            WireClient.Answer theirs = reference.send(step.operation(), body);
            WireClient.Answer ours = underTest.send(step.operation(), body);
            settle(step.operation(), body, theirs, ours);
            String where = diffCase.name() + ", step " + (i + 1) + " " + step.operation() + " "
                    + new String(body, StandardCharsets.UTF_8);
            Transcript.record(where, theirs, ours);
            if (step.compare() == Compare.SUCCEEDS) {
                assertThat(theirs.status()).as("dynalite, set-up of %s: %s", where, theirs.body()).isEqualTo(200);
                assertThat(ours.status()).as("engine, set-up of %s: %s", where, ours.body()).isEqualTo(200);
                continue;
            }
            JsonNode expected = step.awsAnswer() != null
                    ? Answers.parse(step.awsAnswer().replace("$T", tables + "_t").replace("$U", tables + "_u"))
                    : Answers.normalize(step.compare(), theirs);
            JsonNode actual = Answers.normalize(step.compare(), ours);
            String known = actual.equals(expected) ? null
                    : KnownDiscrepancies.reason(new String(body, StandardCharsets.UTF_8), expected, actual);
            if (known != null) {
                knownOnes.add("known engine discrepancy (" + known + ") at " + where + "\n expected " + expected
                        + "\n engine   " + actual);
                boolean readOnly = step.operation().equals("GetItem") || step.operation().equals("Query")
                        || step.operation().equals("Scan") || step.operation().equals("BatchGetItem");
                if (!readOnly && expected.has("error") != actual.has("error")) {
                    break; // one engine wrote and the other did not: later steps would only echo the difference
                }
                continue; // same state on both sides: the rest of the case is still compared
            }
            assertThat(Answers.pretty(actual))
                    .as("%s%n%s answered (normalized)", where, step.awsAnswer() != null
                            ? "DynamoDB (dynalite differs; " + step.source() + ")" : "dynalite")
                    .isEqualTo(Answers.pretty(expected));
        }
        // Reported as skipped, with both answers, so known differences stay visible without hiding new ones.
        Assumptions.assumeTrue(knownOnes.isEmpty(), () -> String.join("\n", knownOnes));
    }

    /**
     * Waits, as AWS's waiters do, until a created table is ACTIVE and a deleted one gone on both engines: dynalite
     * finishes both a moment after it answers, as DynamoDB does.
     */
    private static void settle(String operation, byte[] body, WireClient.Answer theirs, WireClient.Answer ours)
            throws Exception {
        if (!operation.equals("CreateTable") && !operation.equals("DeleteTable")) {
            return;
        }
        String table = Answers.parse(new String(body, StandardCharsets.UTF_8)).path("TableName").asText();
        byte[] describe = ("{\"TableName\":\"" + table + "\"}").getBytes(StandardCharsets.UTF_8);
        for (WireClient client : new WireClient[] {reference, underTest}) {
            WireClient.Answer answer = client == reference ? theirs : ours;
            if (answer.status() != 200) {
                continue;
            }
            for (int attempt = 0; attempt < 500; attempt++) {
                WireClient.Answer state = client.send("DescribeTable", describe);
                boolean settled = operation.equals("CreateTable")
                        ? state.status() == 200 && state.body().path("Table").path("TableStatus").asText().equals("ACTIVE")
                        : state.status() != 200;
                if (settled) {
                    break;
                }
                Thread.sleep(2);
            }
        }
    }

    /** Where the engine under test listens. */
    interface EngineUnderTest extends AutoCloseable {
        URI endpoint();

        /** {@code -Dfreight.differential.endpoint=http://host:port/} points the suite at any running engine. */
        static EngineUnderTest start() throws Exception {
            String given = System.getProperty("freight.differential.endpoint");
            if (given != null && !given.isBlank()) {
                URI endpoint = URI.create(given);
                return new EngineUnderTest() {
                    public URI endpoint() { return endpoint; }
                    public void close() { }
                };
            }
            return LocalEngine.start();
        }
    }
}
