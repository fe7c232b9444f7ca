package dev.pharos.probe;

import dev.pharos.config.Target;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The state of one probe while it runs: its clock, phase timings, total-timeout timer and current
 * socket. It finishes exactly once (whichever of answer, error, close or timer comes first wins),
 * and finishing always closes the socket, so a late event can never leak a connection or complete
 * the future twice.
 *
 * <p>Everything runs on one event-loop context, so the fields need no locking.
 */
final class ProbeRun {
    private final Target target;
    private final Instant startedAt;
    private final long startNanos;
    private final Promise<ProbeResult> promise;
    private final Duration timeout;
    private long connectMicros = PhaseTimings.NOT_REACHED;
    private long tlsMicros = PhaseTimings.NOT_REACHED;
    private long firstByteMicros = PhaseTimings.NOT_REACHED;
    private ScheduledFuture<?> timer;
    private NetSocket socket;
    private boolean done;
    private String phase = "the connection";
    private Optional<Integer> status = Optional.empty();
    private Optional<Instant> certNotAfter = Optional.empty();

    private ProbeRun(Target target, Clock clock, Duration timeout, Promise<ProbeResult> promise) {
        this.target = target;
        this.timeout = timeout;
        this.startedAt = clock.instant();
        this.startNanos = System.nanoTime();
        this.promise = promise;
    }

    /**
     * Starts a probe. Called from a {@link VertxTicker#lane() lane}'s task (the scheduler's timers
     * are those), the probe runs right there, on the event loop the target is pinned to. Called
     * from anywhere else, it runs on a fresh event-loop context rather than the caller's: a caller
     * on a worker thread would otherwise put the socket callbacks on the worker pool, and one
     * calling from a single event loop would pile every probe onto it.
     */
    static Future<ProbeResult> start(
            Vertx vertx, Clock clock, Target target, Duration timeout, Consumer<ProbeRun> body) {
        Promise<ProbeResult> promise = Promise.promise();
        ContextInternal lane = VertxTicker.runningLane();
        if (lane != null && lane.owner() == vertx) {
            run(lane, clock, target, timeout, body, promise);
        } else {
            ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
            context.runOnContext(v -> run(context, clock, target, timeout, body, promise));
        }
        return promise.future();
    }

    private static void run(
            ContextInternal context,
            Clock clock,
            Target target,
            Duration timeout,
            Consumer<ProbeRun> body,
            Promise<ProbeResult> promise) {
        ProbeRun run = new ProbeRun(target, clock, timeout, promise);
        // a Netty task on this loop, not a Vert.x timer: no timer id to register and remove
        run.timer =
                context.nettyEventLoop()
                        .schedule(
                                () -> context.dispatch(run::expire),
                                Math.max(1, timeout.toMillis()),
                                TimeUnit.MILLISECONDS);
        try {
            body.accept(run);
        } catch (RuntimeException e) {
            run.fail(FailureReason.OTHER, FailureClassifier.describe(e));
        }
    }

    Target target() {
        return target;
    }

    boolean done() {
        return done;
    }

    /** What the probe is waiting for, for the timeout's detail ("waiting for the status line"). */
    void phase(String phase) {
        this.phase = phase;
    }

    /**
     * Takes ownership of a newly connected socket, closing the previous one (redirects). Returns
     * false, having closed the socket, if the probe already finished while it was connecting.
     */
    boolean attach(NetSocket s) {
        if (done) {
            s.close();
            return false;
        }
        if (socket != null) {
            socket.close();
        }
        socket = s;
        return true;
    }

    long micros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    void markConnected() {
        connectMicros = micros();
        tlsMicros = PhaseTimings.NOT_REACHED;
        firstByteMicros = PhaseTimings.NOT_REACHED;
    }

    void markTls(Optional<Instant> notAfter) {
        tlsMicros = micros();
        certNotAfter = notAfter;
    }

    void markFirstByte() {
        if (firstByteMicros == PhaseTimings.NOT_REACHED) {
            firstByteMicros = micros();
        }
    }

    void status(int code) {
        status = Optional.of(code);
    }

    /** "3.1 ms": elapsed time so far, for details (without String.format: once per probe). */
    String elapsed() {
        long tenths = (micros() + 50) / 100;
        return (tenths / 10) + "." + (tenths % 10) + " ms";
    }

    void succeed(String detail) {
        finish(null, detail);
    }

    void fail(FailureReason reason, String detail) {
        finish(reason, detail);
    }

    void fail(Throwable error) {
        FailureClassifier.Failure f = FailureClassifier.classify(error);
        if (f.reason() == FailureReason.TIMEOUT && connectMicros == PhaseTimings.NOT_REACHED) {
            fail(f.reason(), "connect timed out after " + human(target.probe().connectTimeout()));
        } else {
            fail(f.reason(), f.detail());
        }
    }

    private void expire() {
        timer = null;
        fail(FailureReason.TIMEOUT, "timed out after " + human(timeout) + " waiting for " + phase);
    }

    private void finish(FailureReason reason, String detail) {
        if (done) {
            return;
        }
        done = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (socket != null) {
            socket.close();
        }
        PhaseTimings timings =
                new PhaseTimings(connectMicros, tlsMicros, firstByteMicros, micros());
        promise.tryComplete(
                reason == null
                        ? ProbeResult.ok(
                                target.id(), startedAt, detail, timings, status, certNotAfter)
                        : ProbeResult.failed(
                                target.id(),
                                startedAt,
                                reason,
                                detail,
                                timings,
                                status,
                                certNotAfter));
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
