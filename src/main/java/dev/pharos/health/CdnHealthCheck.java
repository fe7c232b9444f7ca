package dev.pharos.health;

import dev.pharos.decision.RegionStatus;
import dev.pharos.reconcile.Pipeline;
import io.smallrye.health.api.HealthGroup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** /q/health/group/cdn: the CDN itself, UP while every region is HEALTHY or DEGRADED. */
@HealthGroup("cdn")
@Singleton
public class CdnHealthCheck implements HealthCheck {
    @Inject Pipeline pipeline;

    @Override
    public HealthCheckResponse call() {
        boolean allServing = true;
        var b = HealthCheckResponse.named("cdn");
        for (RegionStatus r : pipeline.state().regions().values()) {
            allServing &= r.state().serving();
            b.withData(r.region(), r.state().name() + ": " + r.reason());
        }
        return b.status(allServing).build();
    }
}
