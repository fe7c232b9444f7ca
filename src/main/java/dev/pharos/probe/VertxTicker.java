package dev.pharos.probe;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Ticker} on Vert.x's event loops: callbacks run on an event loop and never block others.
 *
 * <p>{@link #lane()} pins a target to one event loop, round-robin over all of them: its timers are
 * plain Netty scheduled tasks on that loop (no Vert.x timer id to register and look up), and its
 * probes run on that same loop ({@link ProbeRun#start} stays on a lane's context), so a probe costs
 * no hand-over between threads and every loop carries its share of the targets.
 */
public final class VertxTicker implements Ticker {
    /**
     * The lane whose task this thread is running, if any: {@link ProbeRun#start} runs in place
     * there. A thread-local rather than a mark in the context's data, which Quarkus forbids on an
     * event loop's root context.
     */
    private static final FastThreadLocal<ContextInternal> RUNNING = new FastThreadLocal<>();

    private final Vertx vertx;
    private final List<ContextInternal> loops = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    public VertxTicker(Vertx vertx) {
        this.vertx = vertx;
        VertxInternal internal = (VertxInternal) vertx;
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        for (EventExecutor e : internal.getEventLoopGroup()) {
            loops.add(
                    internal.createEventLoopContext((EventLoop) e, internal.getWorkerPool(), tccl));
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delayMillis), t -> task.run());
        return () -> vertx.cancelTimer(id);
    }

    @Override
    public Ticker lane() {
        return new Lane(loops.get(Math.floorMod(next.getAndIncrement(), loops.size())));
    }

    /** The context of the lane whose task is running on this thread, or null. */
    static ContextInternal runningLane() {
        return RUNNING.get();
    }

    private static final class Lane implements Ticker {
        private final ContextInternal context;

        Lane(ContextInternal context) {
            this.context = context;
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Timer schedule(long delayMillis, Runnable task) {
            ScheduledFuture<?> f =
                    context.nettyEventLoop()
                            .schedule(
                                    () -> context.dispatch(() -> run(task)),
                                    Math.max(1, delayMillis),
                                    TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }

        private void run(Runnable task) {
            RUNNING.set(context);
            try {
                task.run();
            } finally {
                RUNNING.set(null);
            }
        }
    }
}
