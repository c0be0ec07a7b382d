package dev.freight.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.freight.support.ManagementInterface;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every health path the deployment files and Dockerfiles name really answers 200 on the management port when the
 * service is healthy.
 */
@QuarkusTest
class ProbePathsTest {

    @Test
    void everyProbePathInTheDeploymentFilesAnswers200() {
        List<String> paths = DeployFiles.probePaths();
        assertThat(paths).contains("/q/health/live", "/q/health/ready", "/q/health/started");
        for (String path : paths) {
            ManagementInterface.given().get(path).then().statusCode(200);
        }
    }
}
