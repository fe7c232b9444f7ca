package dev.pharos.bench.failover;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The one HTTP check the harness makes while it waits for something to come up. */
final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private Http() {}

    /** Whether {@code uri} answers 200 within {@code timeout}; false while nothing listens. */
    static boolean answers200(URI uri, Duration timeout) {
        try {
            return CLIENT.send(
                                    HttpRequest.newBuilder(uri).timeout(timeout).build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }
}
