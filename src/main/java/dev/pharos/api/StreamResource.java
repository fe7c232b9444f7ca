package dev.pharos.api;

import dev.pharos.api.view.StatusView;
import dev.pharos.coordination.Coordinator;
import dev.pharos.journal.Journal;
import dev.pharos.observation.ActionBook;
import dev.pharos.reconcile.ActuatorStatus;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.Pipeline;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The status as server-sent events, for the console: one {@code data:} line of JSON ({@link
 * Update}) at once, then whenever the pipeline has run a round, the journal has a new event or the
 * operator actions changed (checked every {@link #CHECK}, so a change reaches the page well within
 * a second), and at least every {@link #KEEPALIVE} (which also keeps the connection from idling
 * out).
 *
 * <p>A read-only endpoint like the status: when a read token is configured it takes it as a bearer
 * token. The console reads the stream with {@code fetch} (which can send the header) rather than
 * {@code EventSource} (which cannot), so the token never goes into a URL or a cookie.
 */
@Path("/api/v1/stream")
public class StreamResource {
    static final Duration CHECK = Duration.ofMillis(200);
    static final Duration KEEPALIVE = Duration.ofSeconds(5);

    @Inject StatusResource status;
    @Inject Pipeline pipeline;
    @Inject Journal journal;
    @Inject ActionBook actions;
    @Inject Actuators actuators;
    @Inject Coordinator coordinator;

    /**
     * One update.
     *
     * @param journalSeq the journal's last sequence number: the console fetches the incidents again
     *     when it grows
     */
    public record Update(
            long journalSeq, StatusView status, List<ActuatorStatus> actuators, Writer writer) {}

    /**
     * Whether this instance writes to the external actuators now.
     *
     * @param elected whether an election (etcd) decides it, rather than {@code node.actuate}
     * @param term the writer's term, while elected
     */
    public record Writer(boolean writes, boolean elected, Long term) {}

    /** What, when it changes, is worth an update. */
    private record Mark(long round, long journalSeq, Object actions, long keepalive) {}

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Update> stream() {
        AtomicReference<Mark> last = new AtomicReference<>();
        long started = System.nanoTime();
        return Multi.createFrom()
                .ticks()
                .every(CHECK)
                .onOverflow()
                .drop()
                .filter(
                        tick -> {
                            Mark m =
                                    new Mark(
                                            pipeline.state().round(),
                                            journal.lastSeq(),
                                            actions.current(),
                                            (System.nanoTime() - started) / KEEPALIVE.toNanos());
                            return !Objects.equals(last.getAndSet(m), m);
                        })
                .map(tick -> update(journal.lastSeq()));
    }

    /** The same as one update of the stream, once (for a page that cannot stream, and the CLI). */
    @GET
    @Path("/once")
    @Produces(MediaType.APPLICATION_JSON)
    public Update once() {
        return update(journal.lastSeq());
    }

    private Update update(long seq) {
        List<ActuatorStatus> all = new ArrayList<>();
        actuators.dns().forEach(l -> all.add(l.status()));
        actuators.relays().forEach(l -> all.add(l.status()));
        OptionalLong term = coordinator.term();
        return new Update(
                seq,
                status.status(),
                all,
                new Writer(
                        coordinator.actuates(),
                        coordinator.elected(),
                        term.isPresent() ? term.getAsLong() : null));
    }
}
