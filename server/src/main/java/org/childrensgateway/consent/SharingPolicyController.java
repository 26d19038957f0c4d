package org.childrensgateway.consent;

import java.util.List;
import java.util.stream.Collectors;
import org.childrensgateway.security.Caller;
import org.childrensgateway.security.CallerContext;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishes the sharing policy (what may flow from whom to whom, on what legal basis) and lets data
 * owners see when break-glass was used on their data.
 */
@RestController
public class SharingPolicyController {

    private final SharingPolicyProperties policy;
    private final BreakGlassLog breakGlass;

    public SharingPolicyController(SharingPolicyProperties policy, BreakGlassLog breakGlass) {
        this.policy = policy;
        this.breakGlass = breakGlass;
    }

    @GetMapping(value = "/sharing-agreements", produces = MediaType.APPLICATION_JSON_VALUE)
    public SharingPolicyProperties agreements() {
        return policy;
    }

    /** The information-flow table, readable by people: one row per agreement, plus consent. */
    @GetMapping(value = "/sharing-agreements", produces = {MediaType.TEXT_MARKDOWN_VALUE, MediaType.TEXT_PLAIN_VALUE})
    public String informationFlowTable() {
        StringBuilder table = new StringBuilder("| agreement | legal basis | from | to | data | released |\n|---|---|---|---|---|---|\n");
        for (SharingPolicyProperties.Agreement a : policy.agreements()) {
            table.append("| ").append(a.name()).append(" | ").append(a.legalBasis()).append(" | ")
                    .append(String.join(", ", a.fromSectors())).append(" | ").append(String.join(", ", a.toRoles())).append(" | ")
                    .append(String.join(", ", a.resourceTypes())).append(" | ")
                    .append(a.elements().isEmpty() ? "all" : String.join(", ", a.elements())).append(" |\n");
        }
        String consentRoles = policy.roles().entrySet().stream().filter(e -> !e.getValue().consentScopes().isEmpty())
                .map(e -> e.getKey() + " (" + String.join("/", e.getValue().consentScopes()) + ")").collect(Collectors.joining(", "));
        table.append("| Parental consent, case by case | consent | the organisation that recorded the consent | ")
                .append(consentRoles).append(" | what the consent names | all, sensitive items only if named |\n");
        String breakGlassRoles = policy.roles().entrySet().stream().filter(e -> e.getValue().breakGlass()).map(e -> e.getKey())
                .collect(Collectors.joining(", "));
        table.append("| Safeguarding override (break-glass) | safeguarding | any | ").append(breakGlassRoles)
                .append(" | everything about the child | all; audited, owners notified |\n");
        return table.toString();
    }

    /** Break-glass uses on the caller's organisation's data (an auditor may name any organisation). */
    @GetMapping("/notifications/break-glass")
    public List<BreakGlassLog.Notification> breakGlassNotifications(@RequestParam(required = false) String organisation) {
        Caller caller = CallerContext.require();
        SharingPolicyProperties.Role role = policy.roles().get(caller.role());
        String owner = organisation != null && role != null && role.auditor() ? organisation : caller.organisation();
        return breakGlass.forOwner(owner, 500);
    }
}
