package dev.pharos.actuator.linode;

import dev.pharos.actuator.linode.LinodeModel.Domain;
import dev.pharos.actuator.linode.LinodeModel.DomainRecord;
import dev.pharos.actuator.linode.LinodeModel.NewDomainRecord;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancer;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancerConfig;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancerNode;
import dev.pharos.actuator.linode.LinodeModel.NodeMode;
import dev.pharos.actuator.linode.LinodeModel.Page;
import dev.pharos.actuator.linode.LinodeModel.RecordTtl;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The Linode API v4 endpoints Pharos uses ({@link Endpoint} names each for the metrics). A null
 * {@code X-Filter} is not sent. Package-private: {@link LinodeClient} wraps it with the bearer
 * token, the request budget, retries and error mapping; nothing else calls it. Built
 * programmatically ({@link LinodeClient#create}) so that the base URL and token come from the
 * Pharos configuration.
 */
@RegisterRestClient(configKey = "linode")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface LinodeApi {

    @GET
    @Path("/domains")
    Page<Domain> domains(
            @QueryParam("page") int page,
            @QueryParam("page_size") int pageSize,
            @HeaderParam("X-Filter") String filter);

    @GET
    @Path("/domains/{domainId}/records")
    Page<DomainRecord> records(
            @PathParam("domainId") long domainId,
            @QueryParam("page") int page,
            @QueryParam("page_size") int pageSize,
            @HeaderParam("X-Filter") String filter);

    @POST
    @Path("/domains/{domainId}/records")
    DomainRecord createRecord(@PathParam("domainId") long domainId, NewDomainRecord record);

    @PUT
    @Path("/domains/{domainId}/records/{recordId}")
    DomainRecord updateRecord(
            @PathParam("domainId") long domainId,
            @PathParam("recordId") long recordId,
            RecordTtl update);

    @DELETE
    @Path("/domains/{domainId}/records/{recordId}")
    void deleteRecord(@PathParam("domainId") long domainId, @PathParam("recordId") long recordId);

    @GET
    @Path("/nodebalancers/{nodeBalancerId}")
    NodeBalancer nodeBalancer(@PathParam("nodeBalancerId") long nodeBalancerId);

    @GET
    @Path("/nodebalancers/{nodeBalancerId}/configs")
    Page<NodeBalancerConfig> configs(
            @PathParam("nodeBalancerId") long nodeBalancerId,
            @QueryParam("page") int page,
            @QueryParam("page_size") int pageSize);

    @GET
    @Path("/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes")
    Page<NodeBalancerNode> nodes(
            @PathParam("nodeBalancerId") long nodeBalancerId,
            @PathParam("configId") long configId,
            @QueryParam("page") int page,
            @QueryParam("page_size") int pageSize);

    @GET
    @Path("/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes/{nodeId}")
    NodeBalancerNode node(
            @PathParam("nodeBalancerId") long nodeBalancerId,
            @PathParam("configId") long configId,
            @PathParam("nodeId") long nodeId);

    @PUT
    @Path("/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes/{nodeId}")
    NodeBalancerNode updateNode(
            @PathParam("nodeBalancerId") long nodeBalancerId,
            @PathParam("configId") long configId,
            @PathParam("nodeId") long nodeId,
            NodeMode update);
}
