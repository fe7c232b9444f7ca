package dev.pharos.coordination;

import dev.pharos.config.CoordinationSettings;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The election's etcd calls through the official client, jetcd. */
final class JetcdBackend implements ElectionBackend {
    // after every call of a renewal round failed (connections broke): the client reconnects
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Client client;
    private final long timeoutMs;
    private final int members;

    /**
     * @param timeout how long one call may take (a third of the lease's TTL at most)
     */
    JetcdBackend(CoordinationSettings.Etcd settings, Duration timeout) throws Exception {
        ClientBuilder b =
                Client.builder()
                        .endpoints(settings.endpoints().toArray(java.net.URI[]::new))
                        .connectTimeout(timeout);
        if (settings.username().isPresent() && settings.password().isPresent()) {
            b.user(bytes(settings.username().get()))
                    .password(bytes(settings.password().get().value()));
        }
        if (settings.caFile().isPresent() || settings.certFile().isPresent()) {
            b.sslContext(
                    ssl -> {
                        settings.caFile().ifPresent(ca -> ssl.trustManager(ca.toFile()));
                        if (settings.certFile().isPresent() && settings.keyFile().isPresent()) {
                            ssl.keyManager(
                                    settings.certFile().get().toFile(),
                                    settings.keyFile().get().toFile());
                        }
                    });
        }
        this.client = b.build();
        this.timeoutMs = timeout.toMillis();
        this.members = settings.endpoints().size();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            throw new Exception("etcd: " + cause.getMessage(), cause);
        } finally {
            f.cancel(true);
        }
    }

    @Override
    public long grant(long ttlSeconds) throws Exception {
        return await(client.getLeaseClient().grant(ttlSeconds)).getID();
    }

    /**
     * Rounds of one renewal per configured member, sent at once; the first answer of any round
     * wins. The client balances calls round robin over the members it is connected to, so a member
     * that died is skipped and one that stopped answering (SIGSTOP, a host gone while its
     * connection has not broken yet) holds one call of a round while the others answer. A renewal
     * that reaches etcd's leader through a follower is not answered while that leader hangs, nor
     * while the followers elect another: a new round goes out every half call timeout, the earlier
     * ones staying in the race, and at once (after a short pause) when every call of a round failed
     * (connections broke under them), until the patience runs out. Calls left unanswered are not
     * ended here (jetcd gives no handle on their stream): each ends when its member answers or its
     * connection closes. With one endpoint (a name or load balancer in front of etcd) a round is
     * one call.
     */
    @Override
    public long keepAlive(long leaseId, Duration patience) throws Exception {
        long deadline = System.nanoTime() + Math.max(patience.toNanos(), 1_000_000L);
        long roundNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(timeoutMs) / 2, RETRY_PAUSE_NANOS);
        // shared by every round: a late answer to an earlier round counts as much as a new one
        CompletableFuture<Long> answer = new CompletableFuture<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw noAnswer(patience, failure.get());
            }
            CompletableFuture<Void> roundFailed = new CompletableFuture<>();
            AtomicInteger failed = new AtomicInteger();
            for (int i = 0; i < members; i++) {
                client.getLeaseClient()
                        .keepAliveOnce(leaseId)
                        .whenComplete(
                                (r, t) -> {
                                    if (t == null) {
                                        answer.complete(r.getTTL());
                                    } else if (notFound(t)) {
                                        // the leader's answer, through whichever member
                                        answer.complete(0L);
                                    } else {
                                        failure.set(t);
                                        if (failed.incrementAndGet() == members) {
                                            roundFailed.complete(null);
                                        }
                                    }
                                });
            }
            try {
                CompletableFuture.anyOf(answer, roundFailed)
                        .get(Math.min(left, roundNanos), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                continue;
            }
            if (answer.isDone()) {
                return answer.join();
            }
            long pause = Math.min(RETRY_PAUSE_NANOS, deadline - System.nanoTime());
            if (pause > 0) {
                TimeUnit.NANOSECONDS.sleep(pause);
            }
        }
    }

    private static TimeoutException noAnswer(Duration patience, Throwable failure) {
        TimeoutException e =
                new TimeoutException(
                        "etcd: no answer to the lease renewal within "
                                + patience.toMillis()
                                + " ms"
                                + (failure == null
                                        ? ""
                                        : "; the latest failure: " + unwrap(failure).getMessage()));
        if (failure != null) {
            e.initCause(unwrap(failure));
        }
        return e;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean notFound(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).contains("lease not found")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Holder campaign(String key, String value, long leaseId) throws Exception {
        ByteSequence k = bytes(key);
        TxnResponse r =
                await(
                        client.getKVClient()
                                .txn()
                                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                                .Then(
                                        Op.put(
                                                k,
                                                bytes(value),
                                                PutOption.builder().withLeaseId(leaseId).build()))
                                .Else(Op.get(k, GetOption.DEFAULT))
                                .commit());
        if (r.isSucceeded()) {
            return new Holder(value, leaseId, r.getHeader().getRevision());
        }
        List<KeyValue> kvs = r.getGetResponses().get(0).getKvs();
        if (kvs.isEmpty()) {
            // taken and released between the compare and the read: try again next tick
            return new Holder("", 0, 0);
        }
        KeyValue kv = kvs.get(0);
        return new Holder(
                kv.getValue().toString(StandardCharsets.UTF_8),
                kv.getLease(),
                kv.getCreateRevision());
    }

    @Override
    public void revoke(long leaseId) throws Exception {
        await(client.getLeaseClient().revoke(leaseId));
    }

    @Override
    public void close() {
        client.close();
    }
}
