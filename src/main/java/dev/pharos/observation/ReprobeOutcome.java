package dev.pharos.observation;

/**
 * What became of one cooperative re-probe, as counted in {@code
 * pharos_reprobes_total{direction,outcome}}: per target asked for, on the side that asked ({@code
 * sent}) or that was asked ({@code received}).
 */
public enum ReprobeOutcome {
    /** A request for the target went to the peers. */
    SENT("sent", "sent"),
    /** Not sent: one for the target went out less than {@code send-interval} ago. */
    SEND_RATE_LIMITED("sent", "rate_limited"),
    /** A peer did not take the request (down, timeout, refused, its answer an error). */
    SEND_FAILED("sent", "failed"),
    /** Probed here at once (or right after the probe in flight) on a peer's request. */
    PROBED("received", "probed"),
    /** Not probed: one was taken for the target less than {@code receive-interval} ago. */
    RECEIVE_RATE_LIMITED("received", "rate_limited"),
    /**
     * Not probed: this vantage point's own last probe of the target failed, so its own re-check is
     * already planned (a peer's request never hurries a fall sequence).
     */
    RECHECKING("received", "rechecking"),
    /** Refused: the request was malformed or in another vantage point's name. */
    REFUSED("received", "refused"),
    /** Ignored: a target this instance does not know (peers' configurations may differ). */
    UNKNOWN_TARGET("received", "unknown_target");

    private final String direction;
    private final String label;

    ReprobeOutcome(String direction, String label) {
        this.direction = direction;
        this.label = label;
    }

    public String direction() {
        return direction;
    }

    public String label() {
        return label;
    }
}
