package dev.pharos.actuator.linode;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.linode.LinodeModel.Domain;
import dev.pharos.actuator.linode.LinodeModel.DomainRecord;
import dev.pharos.actuator.linode.LinodeModel.NewDomainRecord;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancer;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancerConfig;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancerNode;
import dev.pharos.actuator.linode.LinodeModel.NodeMode;
import dev.pharos.actuator.linode.LinodeModel.Page;
import dev.pharos.actuator.linode.LinodeModel.RecordTtl;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The Linode API v4 client Pharos uses: the package-private REST client behind it, plus
 *
 * <ul>
 *   <li>the bearer token, added by a request filter and never logged, returned or put in a message;
 *   <li>the {@link RateBudget}: every request takes a token; when the bucket is empty the call
 *       waits (at most {@link Settings#maxBudgetWait}) or fails retryably;
 *   <li>retries: 429 waits for Retry-After (at most {@link Settings#maxRetryAfter}) and tries
 *       again; 5xx, timeouts and broken connections back off exponentially for a few attempts, then
 *       fail retryably; 400, 401, 403 and 404 fail permanently at once, with Linode's reasons;
 *   <li>pagination over every page of a list.
 * </ul>
 *
 * <p>A record creation is not idempotent: when its answer is lost (5xx, timeout, dropped
 * connection) the row may exist or not, so it is not repeated here. It fails retryably, and the
 * reconciler re-reads the records before it plans again, so a lost answer never makes a duplicate
 * row. Only a refused connection (nothing was sent) or a 429 (rejected unprocessed) is retried.
 */
public class LinodeClient {
    private static final Logger LOG = Logger.getLogger(LinodeClient.class);
    private static final int MAX_PAGES = 1000;

    /**
     * How the client behaves.
     *
     * @param timeout connect and read timeout of one request
     * @param pageSize list page size, 25-500
     * @param attempts tries of one request before a retryable failure
     * @param firstBackoff the wait after the first 5xx or broken connection, doubling after that
     * @param maxRetryAfter the longest Retry-After waited for; a longer one fails retryably
     * @param maxBudgetWait the longest wait for the request budget; longer fails retryably
     */
    public record Settings(
            Duration timeout,
            int pageSize,
            int attempts,
            Duration firstBackoff,
            Duration maxRetryAfter,
            Duration maxBudgetWait) {

        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(10),
                    500,
                    4,
                    Duration.ofMillis(500),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(10));
        }

        public Settings withTimeout(Duration t) {
            return new Settings(t, pageSize, attempts, firstBackoff, maxRetryAfter, maxBudgetWait);
        }

        public Settings withPageSize(int size) {
            return new Settings(
                    timeout, size, attempts, firstBackoff, maxRetryAfter, maxBudgetWait);
        }
    }

    /** Whether a request may be repeated after its answer was lost. */
    private enum Kind {
        IDEMPOTENT,
        CREATE
    }

    private final LinodeApi api;
    private final RateBudget budget;
    private final Sleeper sleeper;
    private final Settings settings;
    private final String baseUrl;

    LinodeClient(
            LinodeApi api, String baseUrl, RateBudget budget, Sleeper sleeper, Settings settings) {
        this.api = api;
        this.baseUrl = baseUrl;
        this.budget = budget;
        this.sleeper = sleeper;
        this.settings = settings;
    }

    /**
     * Builds a client for {@code baseUrl} (https://api.linode.com/v4, or an emulator's) with the
     * given token. Needs a running Quarkus application (the REST client is generated at build
     * time).
     */
    public static LinodeClient create(
            String baseUrl, String token, RateBudget budget, Sleeper sleeper, Settings settings) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        LinodeApi api =
                QuarkusRestClientBuilder.newBuilder()
                        .baseUri(URI.create(base))
                        .connectTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        // if an operator turns on REST client logging, the token stays masked
                        .loggingMaskedHeaders(java.util.Set.of("authorization"))
                        .register(new Bearer(token))
                        .register(new LinodeHttpError.Mapper())
                        .build(LinodeApi.class);
        return new LinodeClient(api, base, budget, sleeper, settings);
    }

    /** Adds the token; holds it so nothing else has to. */
    private static final class Bearer implements ClientRequestFilter {
        private final String header;

        Bearer(String token) {
            this.header = "Bearer " + token;
        }

        @Override
        public void filter(ClientRequestContext request) {
            request.getHeaders().putSingle("Authorization", header);
        }

        @Override
        public String toString() {
            return "Bearer(****)";
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    // --- Domains

    /** The Domain named {@code name} (case-insensitive), reading pages until it is found. */
    public Optional<Domain> domain(String name) throws ActuatorException {
        String want = name.toLowerCase(Locale.ROOT);
        for (int page = 1, pages = 1; page <= pages && page <= MAX_PAGES; page++) {
            int p = page;
            Page<Domain> got =
                    call(
                            "list domains (page " + p + ")",
                            Kind.IDEMPOTENT,
                            () -> api.domains(p, size()));
            for (Domain d : got.data()) {
                if (d.domain() != null && d.domain().toLowerCase(Locale.ROOT).equals(want)) {
                    return Optional.of(d);
                }
            }
            pages = got.pages();
        }
        return Optional.empty();
    }

    /** Every record row of a Domain, all pages. */
    public List<DomainRecord> records(long domainId) throws ActuatorException {
        return all(
                "list records of domain " + domainId, page -> api.records(domainId, page, size()));
    }

    /**
     * Creates one record row. Not repeated when its answer is lost (see the class comment): the
     * caller re-reads.
     */
    public DomainRecord createRecord(long domainId, NewDomainRecord record)
            throws ActuatorException {
        return call(
                "create " + record.type() + " " + record.name() + " " + record.target(),
                Kind.CREATE,
                () -> api.createRecord(domainId, record));
    }

    /** Changes one record row's TTL. */
    public DomainRecord updateRecordTtl(long domainId, long recordId, int ttl)
            throws ActuatorException {
        return call(
                "set the TTL of record " + recordId + " to " + ttl,
                Kind.IDEMPOTENT,
                () -> api.updateRecord(domainId, recordId, new RecordTtl(ttl)));
    }

    /**
     * Deletes one record row; a row that is already gone (404) counts as deleted, so a repeat after
     * a lost answer is harmless.
     *
     * @return false if it was already gone
     */
    public boolean deleteRecord(long domainId, long recordId) throws ActuatorException {
        try {
            call(
                    "delete record " + recordId,
                    Kind.IDEMPOTENT,
                    () -> {
                        api.deleteRecord(domainId, recordId);
                        return null;
                    });
            return true;
        } catch (LinodeApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    // --- NodeBalancers

    public NodeBalancer nodeBalancer(long id) throws ActuatorException {
        return call("read NodeBalancer " + id, Kind.IDEMPOTENT, () -> api.nodeBalancer(id));
    }

    public List<NodeBalancerConfig> configs(long nodeBalancerId) throws ActuatorException {
        return all(
                "list configs of NodeBalancer " + nodeBalancerId,
                page -> api.configs(nodeBalancerId, page, size()));
    }

    public List<NodeBalancerNode> nodes(long nodeBalancerId, long configId)
            throws ActuatorException {
        return all(
                "list nodes of NodeBalancer " + nodeBalancerId + " config " + configId,
                page -> api.nodes(nodeBalancerId, configId, page, size()));
    }

    public NodeBalancerNode node(long nodeBalancerId, long configId, long nodeId)
            throws ActuatorException {
        return call(
                "read node " + nodeId + " of NodeBalancer " + nodeBalancerId,
                Kind.IDEMPOTENT,
                () -> api.node(nodeBalancerId, configId, nodeId));
    }

    /** Sets a node's mode (accept, reject, drain, backup). */
    public NodeBalancerNode setNodeMode(
            long nodeBalancerId, long configId, long nodeId, String mode) throws ActuatorException {
        return call(
                "set node " + nodeId + " of NodeBalancer " + nodeBalancerId + " to " + mode,
                Kind.IDEMPOTENT,
                () -> api.updateNode(nodeBalancerId, configId, nodeId, new NodeMode(mode)));
    }

    // --- the machinery

    private int size() {
        return settings.pageSize();
    }

    private <T> List<T> all(String what, IntFunction<Page<T>> fetch) throws ActuatorException {
        List<T> out = new ArrayList<>();
        for (int page = 1, pages = 1; page <= pages; page++) {
            if (page > MAX_PAGES) {
                throw new LinodeApiException(
                        what + ": more than " + MAX_PAGES + " pages",
                        ActuatorException.Kind.PERMANENT,
                        0);
            }
            int p = page;
            Page<T> got = call(what + " (page " + p + ")", Kind.IDEMPOTENT, () -> fetch.apply(p));
            out.addAll(got.data());
            pages = got.pages();
        }
        return out;
    }

    private <T> T call(String what, Kind kind, Supplier<T> request) throws ActuatorException {
        String last = "";
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            takeBudget(what);
            try {
                return request.get();
            } catch (LinodeHttpError e) {
                last = "Linode answered " + e.getMessage();
                if (e.status == 429) {
                    Duration wait = e.retryAfter.orElse(settings.firstBackoff());
                    if (wait.compareTo(settings.maxRetryAfter()) > 0) {
                        throw retryable(
                                what
                                        + ": rate limited by Linode for "
                                        + wait.toSeconds()
                                        + " s (Retry-After)",
                                429);
                    }
                    LOG.debugf("%s: 429, waiting %d ms (Retry-After)", what, wait.toMillis());
                    sleep(what, wait);
                    continue;
                }
                if (e.status >= 500) {
                    if (kind == Kind.CREATE) {
                        throw retryable(
                                what + ": " + last + " (not repeated: it may have been applied)",
                                e.status);
                    }
                    backoff(what, attempt, last);
                    continue;
                }
                throw new LinodeApiException(
                        what + ": " + last + hint(e.status),
                        ActuatorException.Kind.PERMANENT,
                        e.status);
            } catch (ProcessingException e) {
                boolean neverSent = rootCause(e) instanceof ConnectException;
                last = transport(e);
                if (kind == Kind.CREATE && !neverSent) {
                    throw retryable(
                            what + ": " + last + " (not repeated: it may have been applied)", 0);
                }
                backoff(what, attempt, last);
            }
        }
        throw retryable(what + ": failed " + settings.attempts() + " times; last: " + last, 0);
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

    private void takeBudget(String what) throws ActuatorException {
        Duration waited = Duration.ZERO;
        for (Duration wait = budget.tryTake(); !wait.isZero(); wait = budget.tryTake()) {
            waited = waited.plus(wait);
            if (waited.compareTo(settings.maxBudgetWait()) > 0) {
                throw retryable(
                        what + ": Pharos's own Linode request budget is spent; retrying later", 0);
            }
            sleep(what, wait);
        }
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

    private static LinodeApiException retryable(String message, int status) {
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
