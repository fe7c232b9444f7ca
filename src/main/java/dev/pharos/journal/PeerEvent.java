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
     * fault, and its votes are not counted) or stopped.
     *
     * @param vantage the vantage point, this one or a peer
     * @param abstaining after the change
     * @param abstainingNow every vantage point abstaining after the change
     * @param vantagePoints how many are configured
     */
    record Abstention(
            String vantage,
            boolean abstaining,
            List<String> abstainingNow,
            int vantagePoints,
            String message)
            implements PeerEvent {
        public Abstention {
            abstainingNow = List.copyOf(abstainingNow);
        }

        public static Abstention of(
                String vantage, boolean abstaining, List<String> abstainingNow, int vantagePoints) {
            String all =
                    abstainingNow.size() == vantagePoints
                            ? "; every vantage point abstains: no verdict can change, failover is"
                                    + " impossible"
                            : "";
            return new Abstention(
                    vantage,
                    abstaining,
                    abstainingNow,
                    vantagePoints,
                    abstaining
                            ? "vantage point "
                                    + vantage
                                    + " abstains: all its canaries are down, its votes are not"
                                    + " counted"
                                    + all
                            : "vantage point " + vantage + " votes again: a canary is up");
        }

        @Override
        public EventType type() {
            return abstaining ? EventType.ABSTENTION_STARTED : EventType.ABSTENTION_ENDED;
        }

        @Override
        public Severity severity() {
            if (!abstaining) {
                return Severity.INFO;
            }
            return abstainingNow.size() == vantagePoints ? Severity.CRITICAL : Severity.WARNING;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("vantage", vantage)
                    .put("abstaining", abstainingNow)
                    .put("vantagePoints", vantagePoints)
                    .map();
        }

        static Abstention read(Line l, boolean abstaining) {
            return new Abstention(
                    l.data().text("vantage"),
                    abstaining,
                    l.data().texts("abstaining"),
                    l.data().integer("vantagePoints"),
                    l.message());
        }
    }
}
