package dev.pharos.it;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Facts read out of one {@code GET /api/v1/status} response. A test that needs two facts at once
 * (warm and ready, quorum and a verdict) takes both from one response: two requests would be two
 * snapshots, and the instance may change in between.
 */
final class StatusJson {
    private StatusJson() {}

    static boolean warm(JsonNode status) {
        return status.get("warmup").get("done").asBoolean();
    }

    static boolean ready(JsonNode status) {
        return status.get("ready").asBoolean();
    }

    static boolean quorumHeld(JsonNode status) {
        return status.get("quorum").get("held").asBoolean();
    }

    static JsonNode region(JsonNode status, String region) {
        for (JsonNode r : status.get("regions")) {
            if (r.get("name").asText().equals(region)) {
                return r;
            }
        }
        throw new IllegalStateException("no region " + region + " in " + status);
    }

    static String regionState(JsonNode status, String region) {
        return region(status, region).get("state").asText();
    }

    /** A target's verdict health ("UP", "DOWN"...). */
    static String verdict(JsonNode status, String region, String targetId) {
        for (JsonNode t : region(status, region).get("targets")) {
            if (t.get("id").asText().equals(targetId)) {
                return t.get("verdict").get("health").asText();
            }
        }
        throw new IllegalStateException("no target " + targetId + " in " + region);
    }

    /** Whether every target's verdict is UP. */
    static boolean allUp(JsonNode status) {
        for (JsonNode r : status.get("regions")) {
            for (JsonNode t : r.get("targets")) {
                if (!"UP".equals(t.get("verdict").get("health").asText())) {
                    return false;
                }
            }
        }
        return true;
    }

    static JsonNode peer(JsonNode status, String peer) {
        for (JsonNode n : status.get("peers")) {
            if (n.get("name").asText().equals(peer)) {
                return n;
            }
        }
        throw new IllegalStateException("no peer " + peer + " in " + status);
    }
}
