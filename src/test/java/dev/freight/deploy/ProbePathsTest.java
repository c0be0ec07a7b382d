package dev.freight.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Every health path the deployment files and Dockerfiles name really answers 200 when the service is healthy. */
@QuarkusTest
class ProbePathsTest {

    @Test
    void everyProbePathInTheDeploymentFilesAnswers200() {
        List<String> paths = DeployFiles.probePaths();
        assertThat(paths).contains("/q/health/live", "/q/health/ready", "/q/health/started");
        for (String path : paths) {
            given().get(path).then().statusCode(200);
        }
    }
}
