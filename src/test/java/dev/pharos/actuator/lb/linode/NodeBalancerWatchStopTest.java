package dev.pharos.actuator.lb.linode;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.linode.LinodeAppResource;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A revoked NodeBalancer token stops the NodeBalancer watch at its first 401, as it stops the DNS
 * and relay updaters, instead of failing three requests a minute forever; resuming the actuators
 * resumes it.
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class NodeBalancerWatchStopTest {

    @AfterEach
    void restore() {
        LinodeAppResource.emulator.allowToken(LinodeAppResource.LB_TOKEN);
        assertThat(LinodeAppResource.emulator.violations()).isEmpty();
    }

    private static String europe(String field) {
        return given().get("/api/v1/regions/europe")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString(field);
    }

    /** The watch's own reads refused with 401: the NodeBalancer, its configs, their nodes. */
    private static long watchRefusals() {
        return LinodeAppResource.emulator.calls("/v4/nodebalancers").stream()
                .filter(c -> c.status() == 401 && c.method().equals("GET"))
                .filter(c -> c.path().matches("/v4/nodebalancers/\\d+(/configs(/\\d+/nodes)?)?"))
                .count();
    }

    @Test
    void a401StopsTheWatchAtOnceAndAResumeStartsItAgain() {
        LinodeSpec.require();
        LinodeEmulator emulator = LinodeAppResource.emulator;
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> europe("loadBalancer.readAt") != null);

        emulator.revokeToken(LinodeAppResource.LB_TOKEN);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> String.valueOf(europe("loadBalancer.error")).contains("401"));
        assertThat(europe("loadBalancer.error")).contains("stopped").contains("resume");
        // the poll runs every 300 ms: a watch that went on would fail six more in this time
        Awaitility.await("one request refused with 401, no more")
                .during(Duration.ofMillis(1800))
                .atMost(Duration.ofSeconds(5))
                .until(() -> watchRefusals() == 1);

        emulator.allowToken(LinodeAppResource.LB_TOKEN);
        given().auth()
                .oauth2(LinodeAppResource.ADMIN_TOKEN)
                .post("/api/v1/actuators/linode-nodebalancers/resume")
                .then()
                .statusCode(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> europe("loadBalancer.error") == null);
        assertThat(watchRefusals()).isEqualTo(1);
    }
}
