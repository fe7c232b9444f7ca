package dev.pharos.journal;

import java.util.List;
import java.util.Map;

/**
 * Events about the other vantage points: requests refused because they spoke for another vantage
 * point than their credential names (or carried impossible numbers), and vantage points that start
 * or stop abstaining because all their canaries are down.
 */
public sealed interface PeerEvent extends Event {

    /**
     * Peer requests were refused. Journaled at most once a minute per caller: {@code refused}
     * counts the refusals since the previous event for this caller (this one included).
     *
     * @param caller the vantage point the credential names, or {@code unknown}
     * @param reason the {@code reason} label of {@code pharos_peer_refused_total}
     * @param detail why, never holding a token
     */
    record PeerRefused(String caller, String reason, String detail, long refused, String message)
            implements PeerEvent {

        public static PeerRefused of(String caller, String reason, String detail, long refused) {
            return new PeerRefused(
                    caller,
                    reason,
                    detail,
                    refused,
                    "refused a peer request from "
                            + caller
                            + " ("
                            + reason
                            + "): "
                            + detail
                            + (refused > 1
                                    ? "; " + refused + " refused since the last event"
                                    : ""));
        }

        @Override
        public EventType type() {
            return EventType.PEER_REFUSED;
        }

        @Override
        public Severity severity() {
            return Severity.WARNING;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("caller", caller)
                    .put("reason", reason)
                    .put("detail", detail)
                    .put("refused", refused)
                    .map();
        }

        static PeerRefused read(Line l) {
            return new PeerRefused(
                    l.data().text("caller"),
                    l.data().text("reason"),
                    l.data().text("detail"),
                    l.data().number("refused"),
                    l.message());
        }
    }

    /**
     * A vantage point started abstaining (all its canaries are DOWN: its own network is the likely
     * fault, and its votes are not counted) or stopped: {@link AbstentionStarted} or {@link
     * AbstentionEnded}.
     *
     * @param vantage the vantage point, this one or a peer
     * @param abstainingNow every vantage point abstaining after the change
     * @param vantagePoints how many are configured
     */
    public static PeerEvent abstention(
            String vantage, boolean abstaining, List<String> abstainingNow, int vantagePoints) {
        if (!abstaining) {
            return new AbstentionEnded(
                    vantage,
                    abstainingNow,
                    vantagePoints,
                    "vantage point " + vantage + " votes again: a canary is up");
        }
        String all =
                abstainingNow.size() == vantagePoints
                        ? "; every vantage point abstains: no verdict can change, failover is"
                                + " impossible"
                        : "";
        return new AbstentionStarted(
                vantage,
                abstainingNow,
                vantagePoints,
                "vantage point "
                        + vantage
                        + " abstains: all its canaries are down, its votes are not counted"
                        + all);
    }

    /** The vantage point is an abstention's subject: its name, who abstains now, how many. */
    sealed interface Abstention extends PeerEvent permits AbstentionStarted, AbstentionEnded {
        String vantage();

        List<String> abstainingNow();

        int vantagePoints();

        @Override
        default Map<String, Object> data() {
            return Data.of()
                    .put("vantage", vantage())
                    .put("abstaining", abstainingNow())
                    .put("vantagePoints", vantagePoints())
                    .map();
        }
    }

    /** A vantage point started abstaining; CRITICAL when that makes every one abstain. */
    record AbstentionStarted(
            String vantage, List<String> abstainingNow, int vantagePoints, String message)
            implements Abstention {
        public AbstentionStarted {
            abstainingNow = List.copyOf(abstainingNow);
        }

        @Override
        public EventType type() {
            return EventType.ABSTENTION_STARTED;
        }

        @Override
        public Severity severity() {
            return abstainingNow.size() == vantagePoints ? Severity.CRITICAL : Severity.WARNING;
        }

        static AbstentionStarted read(Line l) {
            return new AbstentionStarted(
                    l.data().text("vantage"),
                    l.data().texts("abstaining"),
                    l.data().integer("vantagePoints"),
                    l.message());
        }
    }

    /** A vantage point that abstained votes again. */
    record AbstentionEnded(
            String vantage, List<String> abstainingNow, int vantagePoints, String message)
            implements Abstention {
        public AbstentionEnded {
            abstainingNow = List.copyOf(abstainingNow);
        }

        @Override
        public EventType type() {
            return EventType.ABSTENTION_ENDED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        static AbstentionEnded read(Line l) {
            return new AbstentionEnded(
                    l.data().text("vantage"),
                    l.data().texts("abstaining"),
                    l.data().integer("vantagePoints"),
                    l.message());
        }
    }
}
