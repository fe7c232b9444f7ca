package dev.pharos.coordination;

import dev.pharos.actuator.dns.WriterFence;
import dev.pharos.config.CoordinationSettings;
import dev.pharos.config.Topology;
import dev.pharos.journal.Journal;
import dev.pharos.observation.WriterRole;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Whether this instance writes to the external actuators. Without coordination ({@code
 * pharos.coordination.provider: none}) that is {@code node.actuate}, fixed for the run. With etcd,
 * every instance is a candidate and the holder of the writer's lease writes ({@link
 * WriterElection}, ticking on its own thread, {@code pharos-coordination}); its term goes into
 * every journal line it writes, and the actuators ask {@link #mayStartWrite} right before each
 * write.
 */
@Singleton
public class Coordinator implements WriterRole, WriterFence {
    private static final Logger LOG = Logger.getLogger(Coordinator.class);

    private final boolean configured;
    private final boolean expected;
    private final Optional<CoordinationSettings.Etcd> etcd;
    private final String node;
    private final Clock clock;
    private final Journal journal;
    private final List<Runnable> onElected = new CopyOnWriteArrayList<>();
    private volatile WriterElection election;
    private ScheduledExecutorService executor;

    @Inject
    public Coordinator(Topology topology, Clock clock, Journal journal) {
        this.expected = Writers.expected(topology);
        this.configured = topology.actuate() && expected;
        this.etcd = topology.coordination().etcd();
        this.node = topology.nodeName();
        this.clock = clock;
        this.journal = journal;
    }

    /** Without coordination and without a journal: {@code node.actuate} alone (tests). */
    public Coordinator(Topology topology) {
        this(topology, Clock.systemUTC(), null);
    }

    // before the actuators (priority 2): their loops ask who writes from the start
    void start(@Observes @Priority(1) StartupEvent event) throws Exception {
        if (etcd.isEmpty()) {
            return;
        }
        CoordinationSettings.Etcd e = etcd.get();
        Duration ttl = e.leaseTtl();
        Duration tick = bounded(ttl.dividedBy(6), Duration.ofMillis(100), Duration.ofSeconds(1));
        WriterElection w =
                new WriterElection(
                        new JetcdBackend(e, bounded(ttl.dividedBy(3), tick, ttl)),
                        e.key(),
                        node,
                        ttl,
                        clock);
        election = w;
        if (journal != null) {
            journal.term(this::term);
        }
        executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "pharos-coordination");
                            t.setDaemon(true);
                            return t;
                        });
        executor.scheduleWithFixedDelay(this::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof(
                "coordination by etcd (%s), key %s, lease %ss",
                e.endpoints(), e.key(), ttl.toSeconds());
    }

    private static Duration bounded(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    private void tick() {
        WriterElection w = election;
        try {
            WriterElection.Change c = w.tick();
            switch (c) {
                case ELECTED -> LOG.infof("elected writer, term %d", w.term().orElse(-1));
                case WRITABLE_AGAIN ->
                        LOG.infof(
                                "writer's lease renewed after a write was held back: writing"
                                        + " again, term %d",
                                w.term().orElse(-1));
                case STEPPED_DOWN ->
                        LOG.warnf(
                                "no longer the writer: %s",
                                w.lastError().orElse("the lease ran out"));
                case NONE -> {}
            }
            if (c.reconcile()) {
                onElected.forEach(Runnable::run);
            }
        } catch (RuntimeException e) {
            LOG.error("coordination tick failed", e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        WriterElection w = election;
        if (w != null) {
            w.resign();
        }
    }

    /**
     * Runs {@code r} (on the coordination thread) each time this instance becomes the writer, and
     * each time the writer may write again after it held a write back because its lease ran short
     * ({@link WriterElection.Change#WRITABLE_AGAIN}).
     */
    public void onElected(Runnable r) {
        onElected.add(r);
    }

    /** Whether coordination decides who writes (etcd), rather than {@code node.actuate}. */
    public boolean elected() {
        return etcd.isPresent();
    }

    @Override
    public boolean actuates() {
        WriterElection w = election;
        if (etcd.isPresent()) {
            return expected && w != null && w.leader();
        }
        return configured;
    }

    /**
     * Whether a write may start now: without coordination, {@code node.actuate}; with etcd, the
     * writer with at least a third of its lease left.
     */
    public boolean mayWrite() {
        WriterElection w = election;
        if (etcd.isPresent()) {
            return w != null && w.mayWrite();
        }
        return configured;
    }

    /**
     * {@link #mayWrite}, asked by an actuator's loop right before a write: a write the writer holds
     * back (its lease ran short) is remembered, and {@link #onElected} runs once the lease is
     * renewed.
     */
    public boolean mayStartWrite() {
        WriterElection w = election;
        if (etcd.isPresent()) {
            return w != null && w.mayStartWrite();
        }
        return configured;
    }

    /** The term to write under: the writer's, while it may write; empty without etcd. */
    @Override
    public OptionalLong fencingTerm() {
        return etcd.isPresent() && mayWrite() ? term() : OptionalLong.empty();
    }

    /**
     * The DNS server holds a later term than ours (the fencing record): another instance has taken
     * over while this one believed it still held the lease. Steps down at once; the election goes
     * on as a candidate.
     */
    @Override
    public void superseded(long ours, long theirs) {
        WriterElection w = election;
        if (w == null) {
            return;
        }
        LOG.warnf(
                "no longer the writer: the DNS server refused term %d, it holds term %d of another"
                        + " writer",
                ours, theirs);
        w.stepDown();
    }

    @Override
    public OptionalLong term() {
        WriterElection w = election;
        return w == null ? OptionalLong.empty() : w.term();
    }
}
