package dev.pharos.alert;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * {@link Transport} over {@code java.net.http}: asynchronous, HTTP/1.1, no redirects, a connect and
 * a whole-request timeout, its own small thread pool (never Vert.x event loops or the pipeline).
 * The answer body is discarded unread.
 */
final class HttpTransport implements Transport {
    private final ExecutorService executor;
    private final HttpClient client;

    HttpTransport(Duration connectTimeout) {
        AtomicInteger n = new AtomicInteger();
        this.executor =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "pharos-notify-http-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(connectTimeout)
                        .executor(executor)
                        .build();
    }

    @Override
    public CompletableFuture<Attempt> post(
            URI url, Map<String, String> headers, byte[] body, Duration timeout) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(url)
                        .timeout(timeout)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            CompletableFuture<HttpResponse<Void>> f =
                    client.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding());
            // the request timeout ends with the answer's headers; a body that never ends is cut
            CompletableFuture.delayedExecutor(
                            2 * timeout.toMillis(), TimeUnit.MILLISECONDS, executor)
                    .execute(() -> f.cancel(true));
            return f.handle((r, t) -> t == null ? classify(r) : failed(t));
        } catch (RuntimeException e) {
            // the request cannot even be built: trying again will not help
            return CompletableFuture.completedFuture(
                    new Attempt(
                            Result.PERMANENT,
                            0,
                            "cannot send: " + e.getClass().getSimpleName(),
                            Optional.empty()));
        }
    }

    static Attempt classify(HttpResponse<?> r) {
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            return new Attempt(Result.DELIVERED, s, null, Optional.empty());
        }
        boolean retry = s == 408 || s == 425 || s == 429 || s >= 500;
        return new Attempt(
                retry ? Result.RETRYABLE : Result.PERMANENT,
                s,
                "HTTP " + s,
                retryAfter(r.headers().firstValue("Retry-After")));
    }

    /** Retry-After in seconds (the HTTP-date form is rare from webhooks and ignored). */
    static Optional<Duration> retryAfter(Optional<String> header) {
        try {
            return header.map(String::trim).map(Long::parseLong).map(Duration::ofSeconds);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Attempt failed(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        String what;
        if (c instanceof CancellationException) {
            what = "no complete answer within twice the timeout";
        } else if (c instanceof HttpConnectTimeoutException) {
            what = "connect timeout";
        } else if (c instanceof HttpTimeoutException) {
            what = "no answer within the timeout";
        } else if (c instanceof ConnectException) {
            what = "connection refused";
        } else if (c instanceof SSLException) {
            what = "TLS error";
        } else if (c instanceof IOException) {
            what = "I/O error (" + c.getClass().getSimpleName() + ")";
        } else {
            what = c.getClass().getSimpleName();
        }
        return new Attempt(Result.RETRYABLE, 0, what, Optional.empty());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
