package dev.pharos.observation;

import dev.pharos.config.PeerInfo;
import dev.pharos.config.Topology;
import dev.pharos.quorum.VantageView;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The freshest observations received from every peer, as the quorum sees them. Until the
 * observation exchange delivers data, every peer is unreachable.
 */
@Singleton
public class PeerObservations {
    private final List<PeerInfo> peers;

    @Inject
    public PeerObservations(Topology topology) {
        this.peers = topology.peers();
    }

    /** One view per configured peer, in configuration order. */
    public List<VantageView> views(Instant now) {
        List<VantageView> out = new ArrayList<>();
        for (PeerInfo p : peers) {
            out.add(new VantageView(p.name(), false, false, Map.of()));
        }
        return out;
    }
}
