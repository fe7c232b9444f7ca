package dev.pharos.actuator.linode;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.linode.LinodeClient.Settings;
import dev.pharos.actuator.linode.LinodeModel.Page;
import jakarta.ws.rs.ProcessingException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How one Linode request is sent: admitted (the token's Retry-After, then Pharos's own budget),
 * answered, counted, and retried or failed. Every list is read whole, page by page; when Linode's
 * count of results changes between two pages (rows added or deleted meanwhile shift the rest across
 * page boundaries), the list is read again from its first page.
 */
final class Requests {
    private static final Logger LOG = Logger.getLogger(Requests.class);
    private static final int MAX_PAGES = 1000;
    private static final int LIST_READS = 3;

    /** Whether a request may be repeated after its answer was lost. */
    enum Kind {
        IDEMPOTENT,
        CREATE
    }

    private final RateBudget budget;
    private final TokenGate gate;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Settings settings;
    private final LinodeMetrics metrics;

    Requests(
            RateBudget budget,
            TokenGate gate,
            Sleeper sleeper,
            Settings settings,
            LinodeMetrics metrics) {
        this.budget = budget;
        this.gate = gate;
        this.clock = budget.clock();
        this.sleeper = sleeper;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Every page of a list; read again from page 1 when it changed between two pages. */
    <T> List<T> all(Endpoint endpoint, String what, IntFunction<Page<T>> fetch)
            throws ActuatorException {
        for (int read = 1; ; read++) {
            List<T> out = new ArrayList<>();
            int results = -1;
            boolean shifted = false;
            for (int page = 1, pages = 1; page <= pages && !shifted; page++) {
                if (page > MAX_PAGES) {
                    throw new LinodeApiException(
                            what + ": more than " + MAX_PAGES + " pages",
                            ActuatorException.Kind.PERMANENT,
                            0);
                }
                int p = page;
                Page<T> got =
                        call(
                                endpoint,
                                what + " (page " + p + ")",
                                Kind.IDEMPOTENT,
                                () -> fetch.apply(p));
                shifted = results >= 0 && got.results() != results;
                if (!shifted) {
                    results = got.results();
                    pages = got.pages();
                    out.addAll(got.data());
                }
            }
            if (!shifted) {
                return out;
            }
            if (read >= LIST_READS) {
                throw retryable(
                        what + ": the list changed between its pages " + read + " times in a row",
                        0);
            }
            LOG.debugf("%s: the list changed between two pages; reading it again", what);
        }
    }

    <T> T call(Endpoint endpoint, String what, Kind kind, Supplier<T> request)
            throws ActuatorException {
        String last = "";
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            admit(what);
            try {
                T out = request.get();
                metrics.request(endpoint, 200);
                return out;
            } catch (LinodeHttpError e) {
                metrics.request(endpoint, e.status);
                last = "Linode answered " + e.getMessage();
                if (e.status == 429) {
                    Duration wait = e.retryAfter.orElse(settings.firstBackoff());
                    metrics.rateLimited(wait);
                    // every client of this token waits, not only this thread
                    gate.pauseUntil(clock.instant().plus(wait));
                    LOG.debugf("%s: 429, Retry-After %d ms", what, wait.toMillis());
                    continue;
                }
                if (e.status >= 500) {
                    if (kind == Kind.CREATE) {
                        throw lost(what, last, e.status);
                    }
                    backoff(what, attempt, last);
                    continue;
                }
                throw new LinodeApiException(
                        what + ": " + last + hint(e.status),
                        ActuatorException.Kind.PERMANENT,
                        e.status);
            } catch (ProcessingException e) {
                metrics.request(endpoint, 0);
                boolean neverSent = rootCause(e) instanceof ConnectException;
                last = transport(e);
                if (kind == Kind.CREATE && !neverSent) {
                    throw lost(what, last, 0);
                }
                backoff(what, attempt, last);
            }
        }
        throw retryable(what + ": failed " + settings.attempts() + " times; last: " + last, 0);
    }

    /**
     * A creation that failed after it was sent is not repeated here. Without an answer, or with a
     * gateway's 502 or 504 (it gave up waiting for Linode), Linode may still apply it later: {@link
     * LinodeApiException#maybeApplied()}. Linode's own 500 or 503 says it failed; the next read
     * shows whether it went through all the same.
     */
    private static LinodeApiException lost(String what, String last, int status) {
        return new LinodeApiException(
                what + ": " + last + " (not repeated: it may have been applied)",
                ActuatorException.Kind.RETRYABLE,
                status,
                status == 0 || status == 502 || status == 504);
    }

    /**
     * Waits until the request may go: first the token's Retry-After (a longer wait than {@link
     * Settings#maxRetryAfter} fails retryably without sending, so the caller backs off and asks
     * again), then a token of the request budget (at most {@link Settings#maxBudgetWait}).
     */
    private void admit(String what) throws ActuatorException {
        Duration budgetWaited = Duration.ZERO;
        while (true) {
            Duration paused = gate.remaining(clock.instant());
            if (!paused.isZero()) {
                if (paused.compareTo(settings.maxRetryAfter()) > 0) {
                    metrics.held(LinodeMetrics.Wait.RETRY_AFTER);
                    throw retryable(
                            what
                                    + ": rate limited by Linode for another "
                                    + (paused.toMillis() + 999) / 1000
                                    + " s (Retry-After); not sent",
                            429);
                }
                LOG.debugf(
                        "%s: waiting %d ms for the token's Retry-After", what, paused.toMillis());
                metrics.waited(LinodeMetrics.Wait.RETRY_AFTER, paused);
                sleep(what, paused);
                continue;
            }
            Duration wait = budget.tryTake();
            if (wait.isZero()) {
                return;
            }
            budgetWaited = budgetWaited.plus(wait);
            if (budgetWaited.compareTo(settings.maxBudgetWait()) > 0) {
                metrics.held(LinodeMetrics.Wait.BUDGET);
                throw retryable(
                        what + ": Pharos's own Linode request budget is spent; retrying later", 0);
            }
            metrics.waited(LinodeMetrics.Wait.BUDGET, wait);
            sleep(what, wait);
        }
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> " (the token is missing, wrong or expired)";
            case 403 ->
                    " (the token lacks a scope: Pharos needs domains:read_write and"
                            + " nodebalancers:read_write)";
            case 404 -> " (no such object, or the token cannot see it)";
            default -> "";
        };
    }

    private void backoff(String what, int attempt, String last) throws ActuatorException {
        if (attempt >= settings.attempts()) {
            return;
        }
        Duration wait = settings.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
        LOG.debugf("%s: %s; retrying in %d ms", what, last, wait.toMillis());
        sleep(what, wait);
    }

    private void sleep(String what, Duration d) throws ActuatorException {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw retryable(what + ": interrupted", 0);
        }
    }

    static LinodeApiException retryable(String message, int status) {
        return new LinodeApiException(message, ActuatorException.Kind.RETRYABLE, status);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    /** A transport failure in words: its kind, never a request header. */
    private static String transport(ProcessingException e) {
        Throwable root = rootCause(e);
        String name = root.getClass().getSimpleName();
        String kind =
                root instanceof ConnectException
                        ? "connection refused"
                        : name.contains("Timeout") ? "timed out" : "connection failed";
        String detail = root.getMessage() == null ? "" : ": " + root.getMessage();
        return kind + " (" + name + detail + ")";
    }
}
