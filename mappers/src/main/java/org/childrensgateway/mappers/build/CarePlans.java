package org.childrensgateway.mappers.build;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Care plan goals are contained Goal resources referenced from CarePlan.goal: FHIR's shape for
 * goals, without giving each free-text goal its own identity on the server.
 */
public final class CarePlans {

    private CarePlans() {
    }

    public static void addGoals(CarePlan plan, List<String> goals, Reference subject) {
        int n = 0;
        for (String text : goals) {
            Goal g = new Goal();
            g.setId("goal" + (++n));
            g.setLifecycleStatus(lifecycle(plan.getStatus()));
            g.getDescription().setText(text);
            g.setSubject(subject.copy());
            plan.addContained(g);
            plan.addGoal(new Reference("#" + g.getId()));
        }
    }

    private static Goal.GoalLifecycleStatus lifecycle(CarePlan.CarePlanStatus s) {
        if (s == null) {
            return Goal.GoalLifecycleStatus.ACTIVE;
        }
        return switch (s) {
            case COMPLETED -> Goal.GoalLifecycleStatus.COMPLETED;
            case REVOKED -> Goal.GoalLifecycleStatus.CANCELLED;
            case DRAFT -> Goal.GoalLifecycleStatus.PROPOSED;
            case ONHOLD -> Goal.GoalLifecycleStatus.ONHOLD;
            default -> Goal.GoalLifecycleStatus.ACTIVE;
        };
    }

    public static List<String> goalTexts(CarePlan plan) {
        List<String> out = new ArrayList<>();
        for (Reference r : plan.getGoal()) {
            String ref = r.getReference();
            for (Resource c : plan.getContained()) {
                if (c instanceof Goal g && ref != null && ref.equals("#" + c.getIdElement().getIdPart())) {
                    out.add(g.getDescription().getText());
                }
            }
            if (r.getResource() instanceof Goal g && !out.contains(g.getDescription().getText())) {
                out.add(g.getDescription().getText());
            }
        }
        return out;
    }
}
