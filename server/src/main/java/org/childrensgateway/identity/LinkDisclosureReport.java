package org.childrensgateway.identity;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.childrensgateway.access.SystemRepository;
import org.childrensgateway.audit.AuditEventBuilder;
import org.childrensgateway.consent.ConsentDirective;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.fhir.FhirResourceService;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * What a wrong link disclosed: for a link that has been undone (a {@code person_link} row that has
 * ended), every disclosure in the audit trail that happened only because of it, for a data
 * protection officer. Built from the audit trail when asked, so it can be asked again at any time.
 *
 * <p>The rule (docs/identity.md, "What a wrong link disclosed"). The link joined source record S to
 * child record C from {@code created} to {@code ended}; C's other sources are "the other side". An
 * audit record of that interval is considered when it names C's links and S among them (the request
 * read C composed from S, searched by C and was widened to S's records, or ran {@code $everything}
 * or {@code $services} over C's sources). For its organisation:
 * <ul>
 *   <li>the organisation has its <b>own relationship</b> with a side when it recorded one of that
 *       side's source Patients, or a Consent of that side names the organisation as recipient;</li>
 *   <li>the <b>other child</b> is the side it has no relationship with: C's other sources when it has
 *       one with S only, else S (C keeps its id and its other sources after the unlink, so without
 *       the link a request about C would not have reached S); with a relationship to both sides
 *       nothing was disclosed that it could not see anyway;</li>
 *   <li>caused: what the response returned about the other child — the other child's source Patient
 *       composed into C, each returned resource about the other child's source records, the other
 *       child's source carers composed into a carer record — except resources the organisation
 *       recorded itself (it holds them already).</li>
 * </ul>
 * Requests that named the other child's records directly (not through C) never rely on the link and
 * are not considered; consent scopes and sharing agreements are not a relationship with a child (they
 * permit sharing about the children an organisation works with, and the link is what made the other
 * child look like one of them).
 */
@Component
class LinkDisclosureReport {

    /** The most audit records one report reads (the newest are kept if there are more). */
    static final int MAX_EVENTS = 10_000;

    /** One disclosure the link caused. */
    public record Disclosure(String auditEvent, Instant when, String organisation, String client, String user, String role,
                             String interaction, String purpose, boolean breakGlass, List<String> otherChildSources,
                             List<String> resources, int resourcesOmitted) {
    }

    /** A request that relied on the link but disclosed nothing because of it, with why. */
    public record NotCaused(String auditEvent, Instant when, String organisation, String client, String reason) {
    }

    public record Report(long link, String source, String child, Instant linkedFrom, Instant linkedUntil, String method,
                         String linkedBy, String endedBy, String endReason, String rule, int auditRecordsConsidered,
                         List<Disclosure> disclosures, List<NotCaused> notCaused) {
    }

    static final String RULE = "Disclosures through the child record while the link held, of what the response returned about the"
            + " child the organisation has no own record or named consent for (its own records excepted)";

    private final PersonIndexStore index;
    private final FhirResourceService service;
    /** Recorders, consents and carers' patients of the two children's records: read to judge, never returned. */
    private final SystemRepository system;

    LinkDisclosureReport(PersonIndexStore index, FhirResourceService service, SystemRepository system) {
        this.index = index;
        this.service = service;
        this.system = system;
    }

    Report of(long linkId) {
        PersonIndexStore.Link link = index.link(linkId).filter(l -> ChildRecordWriter.POOL.equals(l.pool()) && "linked".equals(l.status())
                && l.ended() != null).orElseThrow(() -> new ResourceNotFoundException("No undone link " + linkId));
        String child = "Patient/" + link.childId();
        List<PersonIndexStore.Link> childHistory = index.historyOfChild(ChildRecordWriter.POOL, link.childId());
        Map<String, String[]> query = new LinkedHashMap<>();
        query.put("patient", new String[] {child});
        query.put("date", new String[] {"ge" + link.created().minusSeconds(1), "le" + link.ended().plusSeconds(1)});
        query.put("_sort", new String[] {"date"});
        var found = service.search("AuditEvent", query, false);
        int total = found.size();
        List<IBaseResource> events = found.getResources(Math.max(0, total - MAX_EVENTS), total);

        Judge judge = new Judge();
        List<Disclosure> disclosures = new ArrayList<>();
        List<NotCaused> notCaused = new ArrayList<>();
        int considered = 0;
        for (IBaseResource r : events) {
            AuditEvent event = (AuditEvent) r;
            Instant when = event.getRecorded().toInstant();
            Map<String, String> details = details(event);
            Set<String> linked = ids(details.get("linked-sources:" + child));
            if (when.isBefore(link.created()) || when.isAfter(link.ended()) || !linked.contains(link.sourceId())) {
                continue; // outside the link's life, or it did not rely on this link
            }
            considered++;
            Caller caller = caller(event);
            Set<String> sideS = Set.of(link.sourceId());
            Set<String> sideR = new TreeSet<>(linked);
            childHistory.stream().filter(l -> "linked".equals(l.status()) && !l.created().isAfter(when)
                    && (l.ended() == null || l.ended().isAfter(when))).forEach(l -> sideR.add(l.sourceId()));
            sideR.remove(link.sourceId());
            boolean ownS = judge.related(caller.organisation, sideS);
            boolean ownR = judge.related(caller.organisation, sideR);
            if (ownS && ownR) {
                notCaused.add(new NotCaused(event.getIdElement().getIdPart(), when, caller.organisation, caller.client,
                        "the organisation has its own record of, or a consent naming it for, both children"));
                continue;
            }
            Set<String> other = ownS ? sideR : sideS;
            Set<String> items = new LinkedHashSet<>();
            int omitted = 0;
            for (String id : other) {
                String patient = "Patient/" + id;
                if (ids(details.get("composed-sources:" + child)).contains(id)) {
                    items.add(patient);
                }
                details.forEach((key, value) -> {
                    if (key.equals("released:" + patient) || key.startsWith("released:" + patient + "#")) {
                        items.addAll(ids(value));
                    }
                });
                omitted += Integer.parseInt(details.getOrDefault("released-omitted:" + patient, "0"));
            }
            details.forEach((key, value) -> {
                if (key.startsWith("composed-sources:RelatedPerson/")) {
                    ids(value).stream().filter(carer -> other.contains(judge.patientOfCarer(carer))).forEach(carer -> items.add("RelatedPerson/" + carer));
                }
            });
            List<String> caused = items.stream().filter(ref -> !caller.organisation.equals(judge.recorder(ref))).toList();
            if (caused.isEmpty()) {
                notCaused.add(new NotCaused(event.getIdElement().getIdPart(), when, caller.organisation, caller.client,
                        items.isEmpty() ? "nothing of the other child was returned" : "only the organisation's own records were returned"));
                continue;
            }
            disclosures.add(new Disclosure(event.getIdElement().getIdPart(), when, caller.organisation, caller.client, caller.user,
                    caller.role, interaction(event), caller.purpose, caller.breakGlass,
                    other.stream().map(id -> "Patient/" + id).toList(), caused, omitted));
        }
        return new Report(link.id(), "Patient/" + link.sourceId(), child, link.created(), link.ended(), link.method(), link.createdBy(),
                link.endedBy(), link.endReason(), RULE, considered, disclosures, notCaused);
    }

    /** Who asked, from the audit record's agents. */
    private record Caller(String organisation, String client, String user, String role, String purpose, boolean breakGlass) {
    }

    private static Caller caller(AuditEvent event) {
        String organisation = null;
        String client = null;
        String user = null;
        String role = null;
        String purpose = null;
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            Identifier who = agent.getWho().getIdentifier();
            if (who != null && who.hasSystem()) {
                switch (who.getSystem()) {
                    case AuditEventBuilder.ODS -> organisation = who.getValue();
                    case AuditEventBuilder.CLIENT_ID -> client = who.getValue();
                    case AuditEventBuilder.USER_ID -> user = who.getValue();
                    default -> {
                    }
                }
            }
            if (agent.getRequestor()) {
                for (var r : agent.getRole()) {
                    for (Coding c : r.getCoding()) {
                        if (AuditEventBuilder.ROLE.equals(c.getSystem())) {
                            role = c.getCode();
                        }
                    }
                }
                for (var p : agent.getPurposeOfUse()) {
                    for (Coding c : p.getCoding()) {
                        if (!AuditEventBuilder.BREAK_GLASS.equals(c.getCode())) {
                            purpose = c.getCode();
                        }
                    }
                }
            }
        }
        boolean breakGlass = event.getMeta().getSecurity().stream().anyMatch(c -> AuditEventBuilder.BREAK_GLASS.equals(c.getCode()));
        return new Caller(organisation == null ? "" : organisation, client, user, role, purpose, breakGlass);
    }

    private static String interaction(AuditEvent event) {
        return event.getSubtype().stream().filter(c -> AuditEventBuilder.GATEWAY_ACTION.equals(c.getSystem())).map(Coding::getCode).findFirst()
                .or(() -> event.getSubtype().stream().filter(c -> AuditEventBuilder.RESTFUL_INTERACTION.equals(c.getSystem()))
                        .map(Coding::getCode).findFirst())
                .orElse("unknown");
    }

    /** Every detail of the audit record (the request entity's), by type. */
    private static Map<String, String> details(AuditEvent event) {
        Map<String, String> out = new HashMap<>();
        event.getEntity().forEach(e -> e.getDetail().forEach(d -> {
            if (d.hasType() && d.getValue() != null) {
                out.put(d.getType(), d.getValue().primitiveValue());
            }
        }));
        return out;
    }

    private static Set<String> ids(String commaSeparated) {
        Set<String> out = new LinkedHashSet<>();
        if (commaSeparated != null) {
            for (String s : commaSeparated.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** Relationship, recorder and carer look-ups, each made once per report. */
    private final class Judge {
        private final Map<String, Boolean> related = new HashMap<>();
        private final Map<String, Optional<Resource>> resources = new HashMap<>();

        /** The organisation recorded one of these source Patients, or a consent for one of them names it. */
        boolean related(String organisation, Set<String> sourceIds) {
            for (String id : sourceIds) {
                if (related.computeIfAbsent(organisation + "|" + id, k -> relatedTo(organisation, id))) {
                    return true;
                }
            }
            return false;
        }

        private boolean relatedTo(String organisation, String sourceId) {
            if (organisation.equals(recorder("Patient/" + sourceId))) {
                return true;
            }
            var patient = system.current("Patient", sourceId);
            if (patient.isEmpty()) {
                return false;
            }
            for (var stored : system.referencing(List.of(patient.get()), "Consent", "patient")) {
                for (ConsentDirective d : ConsentDirective.from((Consent) system.decode(stored))) {
                    if (d.kind() == ConsentDirective.Kind.GRANT && d.organisations().contains(organisation)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Who recorded a resource (its latest version with data), or null. */
        String recorder(String reference) {
            return resource(reference).flatMap(RecordingOrganisation::of).orElse(null);
        }

        /** The source Patient id a source carer belongs to, or null. */
        String patientOfCarer(String carerId) {
            return resource("RelatedPerson/" + carerId).filter(r -> r instanceof RelatedPerson).map(r -> (RelatedPerson) r)
                    .map(c -> c.getPatient().getReferenceElement().getIdPart()).orElse(null);
        }

        private Optional<Resource> resource(String reference) {
            return resources.computeIfAbsent(reference, ref -> {
                int slash = ref.indexOf('/');
                if (slash < 0) {
                    return Optional.empty();
                }
                List<Resource> versions = system.versions(ref.substring(0, slash), ref.substring(slash + 1));
                return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(0));
            });
        }
    }
}
