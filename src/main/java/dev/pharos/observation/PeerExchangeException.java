package dev.pharos.observation;

/**
 * A failed pull or push, already classified; its message is safe to show and log (it never holds
 * the token or a stack trace from inside the client).
 */
public final class PeerExchangeException extends RuntimeException {
    private final ExchangeOutcome outcome;

    public PeerExchangeException(ExchangeOutcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    public ExchangeOutcome outcome() {
        return outcome;
    }
}
