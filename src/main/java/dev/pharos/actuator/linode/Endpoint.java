package dev.pharos.actuator.linode;

/**
 * The Linode API operations Pharos calls, each as its method and templated path: the {@code
 * endpoint} label of the Linode metrics (never an id, never a token).
 */
public enum Endpoint {
    LIST_DOMAINS("GET /domains"),
    LIST_RECORDS("GET /domains/{domainId}/records"),
    CREATE_RECORD("POST /domains/{domainId}/records"),
    UPDATE_RECORD("PUT /domains/{domainId}/records/{recordId}"),
    DELETE_RECORD("DELETE /domains/{domainId}/records/{recordId}"),
    GET_NODEBALANCER("GET /nodebalancers/{nodeBalancerId}"),
    LIST_CONFIGS("GET /nodebalancers/{nodeBalancerId}/configs"),
    LIST_NODES("GET /nodebalancers/{nodeBalancerId}/configs/{configId}/nodes"),
    GET_NODE("GET /nodebalancers/{nodeBalancerId}/configs/{configId}/nodes/{nodeId}"),
    UPDATE_NODE("PUT /nodebalancers/{nodeBalancerId}/configs/{configId}/nodes/{nodeId}");

    private final String label;

    Endpoint(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
