package dev.pharos.observation;

import dev.pharos.config.PeerInfo;
import dev.pharos.config.Topology;
import dev.pharos.observation.ObservationMetrics.Direction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The observation exchange: every exchange interval this instance pulls every peer's snapshot, all
 * in parallel; whenever one of its own votes changes it pushes its whole snapshot to every peer at
 * once, so a quorum forms within milliseconds of the deciding vote. A push that fails is simply
 * covered by the next pull. Every snapshot received, pulled or pushed, is stored and triggers an
 * evaluation at once.
 *
 * <p>Nothing here blocks: the timer runs on a Vert.x event loop, and requests complete there.
 */
@Singleton
public class PeerExchange implements VoteListener {
    private static final Logger LOG = Logger.getLogger(PeerExchange.class);

    @Inject Topology topology;
    @Inject Vertx vertx;
    @Inject EvaluationTrigger evaluation;
    @Inject OwnVantage own;
    @Inject PeerObservations peers;
    @Inject ActionBook actions;
    @Inject ObservationMetrics metrics;
    @Inject TlsConfigurationRegistry tlsRegistry;

    private final List<Peer> clients = new ArrayList<>();
    private long timer = -1;

    /**
     * One peer's client, with a guard against overlapping pulls and whether its pulls are failing
     * (to log only the changes).
     */
    private record Peer(PeerClient client, AtomicBoolean pulling, AtomicBoolean failing) {}

    void start(@Observes StartupEvent event) {
        if (topology.peers().isEmpty()) {
            return;
        }
        Optional<TlsConfiguration> tls = tls();
        // with pharos.api.peer-mtls the token is optional: the key pair of the TLS configuration
        // is presented instead
        String token = topology.api().peer().presented().orElse(null);
        for (PeerInfo p : topology.peers()) {
            clients.add(
                    new Peer(
                            PeerClient.create(
                                    p,
                                    token,
                                    topology.quorum().exchangeTimeout(),
                                    topology.sourceAddress(),
                                    tls),
                            new AtomicBoolean(),
                            new AtomicBoolean()));
        }
        long period = topology.quorum().exchangeInterval().toMillis();
        timer = vertx.setPeriodic(0, period, id -> pullAll());
        LOG.infof(
                "exchanging observations with %d peers every %d ms (quorum %d of %d)",
                clients.size(),
                period,
                topology.quorum().size(),
                topology.quorum().vantagePoints().size());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        clients.forEach(p -> p.client().close());
    }

    /**
     * The TLS configuration named in the config (start-up checked that the registry has it), else
     * the default one, if any.
     */
    Optional<TlsConfiguration> tls() {
        Optional<String> name = topology.quorum().tlsConfigurationName();
        return name.isPresent() ? tlsRegistry.get(name.get()) : tlsRegistry.getDefault();
    }

    /** Pulls every peer in parallel; a peer whose previous pull is still running is skipped. */
    void pullAll() {
        for (Peer p : clients) {
            if (!p.pulling().compareAndSet(false, true)) {
                continue;
            }
            String name = p.client().peer().name();
            p.client()
                    .pull()
                    .subscribe()
                    .with(
                            s -> {
                                p.pulling().set(false);
                                Optional<String> problem = peers.problem(s);
                                if (problem.isPresent()) {
                                    pullFailed(p, ExchangeOutcome.INVALID, problem.get());
                                    return;
                                }
                                metrics.exchange(name, Direction.PULL, ExchangeOutcome.OK);
                                if (p.failing().compareAndSet(true, false)) {
                                    LOG.infof("peer %s answers again", name);
                                }
                                receive(s, PeerObservations.Via.PULL);
                            },
                            t -> {
                                p.pulling().set(false);
                                PeerExchangeException e = PeerClient.classify(t, timeout());
                                pullFailed(p, e.outcome(), e.getMessage());
                            });
        }
    }

    /** One of our votes changed: every peer hears of it at once. */
    @Override
    public void voteChanged(VoteChange change) {
        if (!clients.isEmpty()) {
            pushAll();
        }
    }

    /**
     * Pushes our current snapshot to every peer at once; fire-and-forget. Also called when an
     * operator action is taken here, so every peer has it within one round trip.
     */
    public void pushAll() {
        VantageSnapshot snapshot = own.snapshot();
        for (Peer p : clients) {
            String name = p.client().peer().name();
            p.client()
                    .push(snapshot)
                    .subscribe()
                    .with(
                            ok -> metrics.exchange(name, Direction.PUSH, ExchangeOutcome.OK),
                            t -> {
                                PeerExchangeException e = PeerClient.classify(t, timeout());
                                metrics.exchange(name, Direction.PUSH, e.outcome());
                                peers.failed(name, "push: " + e.getMessage());
                            });
        }
    }

    /**
     * Asks every peer to probe these targets at once; fire-and-forget (a peer that is down just
     * does not re-probe).
     *
     * @return the peers asked
     */
    public List<String> reprobe(ReprobeRequest request) {
        List<String> asked = new ArrayList<>();
        for (Peer p : clients) {
            String name = p.client().peer().name();
            asked.add(name);
            p.client()
                    .reprobe(request)
                    .subscribe()
                    .with(
                            ok -> LOG.debugf("peer %s re-probes %s", name, request.targets()),
                            t -> {
                                metrics.reprobe(ReprobeOutcome.SEND_FAILED);
                                LOG.infof(
                                        "peer %s did not take the re-probe request: %s",
                                        name, PeerClient.classify(t, timeout()).getMessage());
                            });
        }
        return asked;
    }

    /**
     * Takes a snapshot that passed {@link PeerObservations#problem}: merges its operator actions
     * (whatever its age: the merge keeps the latest entry per key), stores it if it is the
     * freshest, and has the verdicts re-evaluated at once.
     */
    public void receive(VantageSnapshot s, PeerObservations.Via via) {
        boolean changed = actions.merge(s.vantage(), s.actions());
        boolean accepted = peers.accept(s, via);
        metrics.received(s.vantage(), via, accepted);
        if (accepted || changed) {
            evaluation.trigger();
        }
    }

    private void pullFailed(Peer p, ExchangeOutcome outcome, String message) {
        String name = p.client().peer().name();
        metrics.exchange(name, Direction.PULL, outcome);
        peers.failed(name, "pull: " + message);
        if (p.failing().compareAndSet(false, true)) {
            LOG.warnf("peer %s: pull failed: %s", name, message);
        }
    }

    private Duration timeout() {
        return topology.quorum().exchangeTimeout();
    }
}
