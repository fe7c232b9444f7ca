package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.decision.GuardFiring;
import dev.pharos.decision.Hold;
import dev.pharos.decision.RelayDecision;
import dev.pharos.domain.RecordSet;
import dev.pharos.reconcile.ActuatorStatus;
import java.util.List;

/**
 * GET /api/v1/plan: the desired state, the guards that fired, and each actuator's plan.
 *
 * @param holds every entry of the decision memory that holds an answer back, with its reason and
 *     expiry (hold-down, removed regions, the blast-radius window, confirmations)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanView(
        boolean dryRun,
        String frozen,
        List<RecordSet> desired,
        List<RelayDecision> relays,
        List<GuardFiring> guards,
        List<Hold> holds,
        boolean allRegionsDown,
        List<ActuatorStatus> actuators) {}
