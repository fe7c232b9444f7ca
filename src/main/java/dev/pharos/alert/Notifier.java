package dev.pharos.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.config.DeliverySettings;
import dev.pharos.config.Topology;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.NotifierEvent.NotificationFailed;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Outbound notifications (DESIGN 7): listens to the journal, turns events into incident messages
 * ({@link Incidents}) and hands each to every receiver's worker. It never blocks the thread that
 * journaled the event: it only enqueues. A message that cannot be delivered is journaled as {@code
 * NOTIFICATION_FAILED} (which is never itself notified).
 */
@Singleton
public class Notifier {
    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final Journal journal;
    private final List<ReceiverWorker> workers = new ArrayList<>();
    private final Incidents incidents = new Incidents();
    private final Transport transport;
    private volatile boolean stopped;

    @Inject
    public Notifier(
            Topology topology,
            Journal journal,
            Clock clock,
            ObjectMapper json,
            AlertMetrics metrics) {
        this(
                ReceiverSettings.from(topology.alerts()),
                topology.alerts().delivery(),
                journal,
                clock,
                json,
                metrics,
                null);
    }

    /**
     * @param transport null: HTTP
     */
    Notifier(
            List<ReceiverSettings> receivers,
            DeliverySettings delivery,
            Journal journal,
            Clock clock,
            ObjectMapper json,
            AlertMetrics metrics,
            Transport transport) {
        this.journal = journal;
        this.transport = transport != null ? transport : new HttpTransport(delivery.timeout());
        Payloads payloads = new Payloads(json);
        for (ReceiverSettings r : receivers) {
            workers.add(
                    new ReceiverWorker(
                            r, delivery, this.transport, payloads, clock, metrics, this::gaveUp));
        }
    }

    // before the pipeline starts, so that no event of this run is missed
    void start(@Observes @Priority(1) StartupEvent event) {
        listen();
        if (!workers.isEmpty()) {
            LOG.infof(
                    "notifying %d receivers: %s",
                    workers.size(), workers.stream().map(w -> w.receiver().name()).toList());
        }
    }

    /** Starts listening to the journal (start-up does it; tests without Quarkus call it). */
    void listen() {
        if (!workers.isEmpty()) {
            journal.addListener(this::onEvent);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }

    void close() {
        stopped = true;
        workers.forEach(ReceiverWorker::stop);
        transport.close();
    }

    /** Runs on whichever thread appended the event: only bookkeeping and hand-over. */
    void onEvent(JournalEvent e) {
        if (stopped || e.event() instanceof NotificationFailed) {
            return;
        }
        for (Notification n : incidents.on(e)) {
            for (ReceiverWorker w : workers) {
                w.consider(n);
            }
        }
    }

    private void gaveUp(ReceiverSettings r, DeliveryQueue.GivenUp g) {
        if (stopped) {
            return;
        }
        Notification n = g.notification();
        journal.append(
                NotificationFailed.of(
                        Optional.ofNullable(n.region()),
                        Optional.ofNullable(n.target()),
                        r.name(),
                        n.id(),
                        n.incident(),
                        n.status().label(),
                        n.event(),
                        g.attempts(),
                        g.reason()));
    }
}
