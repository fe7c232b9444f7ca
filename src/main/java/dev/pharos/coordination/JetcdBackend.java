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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The election's etcd calls through the official client, jetcd. */
final class JetcdBackend implements ElectionBackend {
    private final Client client;
    private final long timeoutMs;

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
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Exception("etcd: " + cause.getMessage(), cause);
        } finally {
            f.cancel(true);
        }
    }

    @Override
    public long grant(long ttlSeconds) throws Exception {
        return await(client.getLeaseClient().grant(ttlSeconds)).getID();
    }

    @Override
    public long keepAlive(long leaseId) throws Exception {
        try {
            return await(client.getLeaseClient().keepAliveOnce(leaseId)).getTTL();
        } catch (Exception e) {
            if (String.valueOf(e.getMessage()).contains("lease not found")) {
                return 0;
            }
            throw e;
        }
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
