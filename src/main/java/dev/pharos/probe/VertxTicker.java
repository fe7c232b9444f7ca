package dev.pharos.probe;

import io.vertx.core.Vertx;

/** {@link Ticker} on Vert.x timers: the callback runs on an event loop, never blocks others. */
public final class VertxTicker implements Ticker {
    private final Vertx vertx;

    public VertxTicker(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long schedule(long delayMillis, Runnable task) {
        return vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
    }

    @Override
    public void cancel(long id) {
        vertx.cancelTimer(id);
    }
}
