package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.decision.GuardFiring;
import dev.pharos.decision.RelayDecision;
import dev.pharos.domain.RecordSet;
import dev.pharos.reconcile.ActuatorStatus;
import java.util.List;

/** GET /api/v1/plan: the desired state, the guards that fired, and each actuator's plan. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanView(
        boolean dryRun,
        String frozen,
        List<RecordSet> desired,
        List<RelayDecision> relays,
        List<GuardFiring> guards,
        boolean allRegionsDown,
        List<ActuatorStatus> actuators) {}
