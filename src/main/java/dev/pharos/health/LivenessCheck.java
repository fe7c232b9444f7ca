package dev.pharos.health;

import dev.pharos.config.Topology;
import dev.pharos.reconcile.Pipeline;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** /q/health/live: DOWN when the pipeline thread has stopped evaluating (wedged or dead). */
@Liveness
@Singleton
public class LivenessCheck implements HealthCheck {
    @Inject Pipeline pipeline;
    @Inject Clock clock;
    @Inject Topology topology;

    @Override
    public HealthCheckResponse call() {
        Duration age = Duration.between(pipeline.state().evaluatedAt(), clock.instant());
        Duration limit = topology.quorum().exchangeInterval().multipliedBy(10).plusSeconds(5);
        return HealthCheckResponse.named("pipeline")
                .status(age.compareTo(limit) < 0)
                .withData("lastEvaluationAgoMs", age.toMillis())
                .build();
    }
}
