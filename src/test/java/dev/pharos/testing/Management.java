package dev.pharos.testing;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.URI;

/**
 * Health and metrics in a {@code @QuarkusTest}: they are served on the management interface (its
 * own port), not on the API's.
 */
public final class Management {
    private Management() {}

    /**
     * A request to the management interface; paths are the usual ones ({@code /q/health/ready}).
     */
    public static RequestSpecification given() {
        URI uri = URI.create(TestHTTPResourceManager.getManagementUri());
        return RestAssured.given()
                .baseUri(uri.getScheme() + "://" + uri.getHost())
                .port(uri.getPort());
    }
}
