package dev.pharos.actuator.linode.emulator;

import static dev.pharos.actuator.linode.emulator.Reply.JSON;
import static dev.pharos.actuator.linode.emulator.Reply.notFound;
import static dev.pharos.actuator.linode.emulator.Reply.page;
import static dev.pharos.actuator.linode.emulator.Reply.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The emulator's NodeBalancers, their configs and nodes, and the routes under {@code
 * /v4/nodebalancers}. A node's status is what Linode's checks would see: DOWN while rejected, else
 * the health a test set. Not thread-safe: the emulator holds its lock around every call.
 */
final class NodeBalancers {
    private static final String STAMP = LinodeEmulator.STAMP;

    private final LongSupplier ids;
    private final Map<Long, ObjectNode> nodeBalancers = new TreeMap<>();
    private final Map<Long, TreeMap<Long, ObjectNode>> configs = new HashMap<>();
    private final Map<Long, TreeMap<Long, ObjectNode>> nodes = new HashMap<>();
    private final Map<Long, String> health = new HashMap<>();

    NodeBalancers(LongSupplier ids) {
        this.ids = ids;
    }

    long addNodeBalancer(String label) {
        long id = ids.getAsLong();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("label", label);
        n.put("region", "eu-west");
        n.put("hostname", "nb-" + id + ".ip.linodeusercontent.com");
        n.put("ipv4", "127.0.86.1");
        n.put("client_conn_throttle", 0);
        n.put("created", STAMP);
        n.put("updated", STAMP);
        n.putArray("tags");
        ObjectNode t = n.putObject("transfer");
        t.putNull("in");
        t.putNull("out");
        t.putNull("total");
        nodeBalancers.put(id, n);
        configs.put(id, new TreeMap<>());
        return id;
    }

    long addConfig(long nodeBalancerId, int port) {
        long id = ids.getAsLong();
        ObjectNode c = JSON.createObjectNode();
        c.put("id", id);
        c.put("port", port);
        c.put("protocol", "http");
        c.put("algorithm", "roundrobin");
        c.put("stickiness", "none");
        c.put("check", "http");
        c.put("check_interval", 31);
        c.put("check_timeout", 30);
        c.put("check_attempts", 3);
        c.put("check_path", "/");
        c.put("check_passive", true);
        c.put("cipher_suite", "recommended");
        c.put("proxy_protocol", "none");
        c.put("nodebalancer_id", nodeBalancerId);
        configs.get(nodeBalancerId).put(id, c);
        nodes.put(id, new TreeMap<>());
        return id;
    }

    long addNode(long nodeBalancerId, long configId, String label, String address, String mode) {
        long id = ids.getAsLong();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("label", label);
        n.put("address", address);
        n.put("mode", mode);
        n.put("weight", 100);
        n.put("config_id", configId);
        n.put("nodebalancer_id", nodeBalancerId);
        nodes.get(configId).put(id, n);
        health.put(id, "UP");
        return id;
    }

    /** What the NodeBalancer's own checks would see of the node while it takes traffic. */
    void setHealth(long nodeId, String status) {
        health.put(nodeId, status);
    }

    String mode(long configId, long nodeId) {
        return nodes.get(configId).get(nodeId).get("mode").asText();
    }

    /** A request under {@code /v4/nodebalancers}, split at "/". */
    Reply route(
            String method,
            String[] s,
            Map<String, List<String>> query,
            String body,
            XFilter filter) {
        if (s.length < 4) {
            return notFound();
        }
        long nb = Long.parseLong(s[3]);
        ObjectNode balancer = nodeBalancers.get(nb);
        if (balancer == null) {
            return notFound();
        }
        if (s.length == 4) {
            return "GET".equals(method) ? new Reply(200, balancer) : notFound();
        }
        if (!"configs".equals(s[4])) {
            return notFound();
        }
        if (s.length == 5) {
            if (!"GET".equals(method)) {
                return notFound();
            }
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode c : configs.get(nb).values()) {
                out.add(withStatus(c));
            }
            return page(query, filter, out);
        }
        long configId = Long.parseLong(s[5]);
        if (!configs.get(nb).containsKey(configId) || s.length < 7 || !"nodes".equals(s[6])) {
            return notFound();
        }
        TreeMap<Long, ObjectNode> ns = nodes.get(configId);
        if (s.length == 7) {
            if (!"GET".equals(method)) {
                return notFound();
            }
            return page(query, filter, ns.values().stream().map(this::withStatus).toList());
        }
        ObjectNode node = ns.get(Long.parseLong(s[7]));
        if (node == null || s.length != 8) {
            return notFound();
        }
        if ("GET".equals(method)) {
            return new Reply(200, withStatus(node));
        }
        if ("PUT".equals(method)) {
            JsonNode b = parse(body);
            if (b.has("mode")) {
                node.put("mode", b.get("mode").asText());
            }
            return new Reply(200, withStatus(node));
        }
        return notFound();
    }

    /** A node's status: DOWN while rejected (Linode stops checking it), else its health. */
    private ObjectNode withStatus(ObjectNode n) {
        if (n.has("address")) {
            ObjectNode out = n.deepCopy();
            out.put(
                    "status",
                    "reject".equals(n.get("mode").asText())
                            ? "DOWN"
                            : health.getOrDefault(n.get("id").asLong(), "unknown"));
            return out;
        }
        ObjectNode out = n.deepCopy();
        int up = 0;
        int down = 0;
        for (ObjectNode node : nodes.get(n.get("id").asLong()).values()) {
            if ("UP".equals(withStatus(node).get("status").asText())) {
                up++;
            } else {
                down++;
            }
        }
        ObjectNode st = out.putObject("nodes_status");
        st.put("up", up);
        st.put("down", down);
        return out;
    }
}
