package org.childrensgateway.export;

import java.io.Writer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.childrensgateway.access.AccessGate;
import org.childrensgateway.access.GatedRepository;
import org.childrensgateway.access.SystemRepository;
import org.childrensgateway.consent.ChildFacts;
import org.childrensgateway.consent.Decision;
import org.childrensgateway.consent.ReachArea;
import org.childrensgateway.consent.SharingPolicyProperties;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.identity.IdentityService;
import org.childrensgateway.mappers.FeedWriter;
import org.childrensgateway.mappers.MappingRegistry;
import org.childrensgateway.mappers.OutboundRecord;
import org.childrensgateway.security.Caller;
import org.childrensgateway.security.CallerContext;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * New-family notifications for a children's centre organisation ({@code notifications.csv}): one row
 * per child (the child record, as the gate composes it for the centre), {@code BIRTH} for a baby born
 * within the live-birth window, {@code MOVE-IN} for an under-five whose address moved into one of the
 * organisation's centres' reach areas, the receiving centre taken from that reach area. Never a child
 * who has died, a restricted record or a family the source marks as bereaved, whatever else permits
 * the sharing. Each event is notified once: the first pull that finds it records it, and a pull
 * returns the events first found after its {@code since}.
 */
@Service
public class CentreNotifications {

    public static final String FEED = "childrens-centre";
    public static final String FILE = "notifications";
    /** Move-in notifications are for under-fives (the early-years offer). */
    static final int UNDER_FIVE_DAYS = 1826;
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private record Event(String childId, String event, String key, String centre, GatedRepository.Released child) {
    }

    private final AccessGate gate;
    private final org.childrensgateway.fhir.FhirResourceService fhir;
    private final SharingPolicyProperties policy;
    /** Only to tell a move-in from a birth (the child record's earlier addresses) and the record states: never returned. */
    private final SystemRepository system;
    private final JdbcClient jdbc;
    private final MappingRegistry mappings;
    private final IdentityService identity;

    public CentreNotifications(AccessGate gate, org.childrensgateway.fhir.FhirResourceService fhir, SharingPolicyProperties policy, SystemRepository system,
                               JdbcClient jdbc, MappingRegistry mappings, IdentityService identity) {
        this.gate = gate;
        this.fhir = fhir;
        this.policy = policy;
        this.system = system;
        this.jdbc = jdbc;
        this.mappings = mappings;
        this.identity = identity;
    }

    @Transactional
    public ExportService.Result export(Instant since, String onlyCentre, Writer out) {
        Caller caller = CallerContext.require();
        String organisation = caller.organisation();
        LocalDate today = LocalDate.now(LONDON);
        GatedRepository repo = gate.forRequest();
        Map<String, String[]> criteria = new LinkedHashMap<>();
        criteria.put("_tag", new String[] {DerivedRecords.TAG_SYSTEM + "|" + DerivedRecords.CHILD_RECORD});
        criteria.put("birthdate", new String[] {"ge" + today.minusDays(UNDER_FIVE_DAYS)});
        List<GatedRepository.Released> children = repo.released(repo.search(fhir.query("Patient", criteria)).keys());

        Map<String, Event> eligible = new LinkedHashMap<>();
        for (GatedRepository.Released child : children) {
            eventOf(child, organisation, today).filter(e -> onlyCentre == null || onlyCentre.equals(e.centre()))
                    .ifPresent(e -> eligible.put(e.childId() + "|" + e.event() + "|" + e.key(), e));
        }
        for (Event e : eligible.values()) {
            jdbc.sql("insert into centre_notification (organisation, child_id, event, event_key) values (?, ?, ?, ?) on conflict do nothing")
                    .params(organisation, e.childId(), e.event(), e.key()).update();
        }
        List<Map<String, Object>> due = jdbc.sql("select child_id, event, event_key, first_at from centre_notification"
                        + " where organisation = ? and (?::timestamptz is null or first_at > ?::timestamptz) order by first_at, id")
                .params(organisation, since == null ? null : Timestamp.from(since), since == null ? null : Timestamp.from(since))
                .query().listOfRows();
        List<OutboundRecord> rows = new ArrayList<>();
        Instant until = since;
        int withheld = 0;
        for (Map<String, Object> row : due) {
            Instant first = ((Timestamp) row.get("first_at")).toInstant();
            until = until == null || first.isAfter(until) ? first : until;
            // Sent only if it is still due now: a baby who has died since the event was found is never notified.
            Event e = eligible.get(row.get("child_id") + "|" + row.get("event") + "|" + row.get("event_key"));
            if (e == null) {
                withheld += onlyCentre == null ? 1 : 0; // another centre's row is not withheld, just not asked for
                continue;
            }
            rows.add(record(e, repo));
        }
        FeedWriter.WriteResult result = mappings.writer(FEED, FILE).write(rows, out);
        return new ExportService.Result(due.size(), result.written(), withheld, until, false,
                result.issues().stream().map(Object::toString).toList());
    }

    /** The child's event for this organisation, if any is due. */
    private Optional<Event> eventOf(GatedRepository.Released child, String organisation, LocalDate today) {
        Patient seen = (Patient) child.resource();
        String id = seen.getIdElement().getIdPart();
        // Record states from every source, as the stored child record holds them, whether or not the centre may see them.
        ChildFacts states = system.currentResource("Patient", id).map(r -> ChildFacts.of((Patient) r)).orElse(ChildFacts.UNKNOWN);
        ChildFacts facts = ChildFacts.of(seen).with(states);
        if (facts.deceased() || facts.restricted() || facts.bereaved() || facts.birthDate() == null || facts.postcode() == null) {
            return Optional.empty();
        }
        Optional<String> centre = policy.centreFor(organisation, facts.postcode());
        if (centre.isEmpty() || facts.birthDate().isAfter(today)) {
            return Optional.empty();
        }
        if (!facts.birthDate().plusDays(birthWindowDays()).isBefore(today)) {
            return Optional.of(new Event(id, "BIRTH", "birth", centre.get(), child));
        }
        if (movedIntoReach(id, organisation)) {
            return Optional.of(new Event(id, "MOVE-IN", ReachArea.normalise(facts.postcode()), centre.get(), child));
        }
        return Optional.empty();
    }

    /** An earlier version of the child record had an address outside every one of the organisation's centres' reach. */
    private boolean movedIntoReach(String childId, String organisation) {
        List<Resource> versions = system.versions("Patient", childId);
        return versions.stream().skip(1).map(r -> (Patient) r).filter(Patient::hasAddress)
                .map(p -> p.getAddressFirstRep().getPostalCode())
                .anyMatch(previous -> previous != null && policy.centreFor(organisation, previous).isEmpty());
    }

    /** The live-birth agreement's window: the smallest age limit of the live-birth agreements in force. */
    private int birthWindowDays() {
        return policy.agreements().stream().filter(a -> a.enabled() && "live-birth-isp".equals(a.id()) && a.maxAgeDays() != null)
                .mapToInt(SharingPolicyProperties.Agreement::maxAgeDays).min().orElse(0);
    }

    private OutboundRecord record(Event e, GatedRepository repo) {
        Patient child = (Patient) e.child().resource();
        List<Resource> resources = new ArrayList<>();
        resources.add(child);
        carer(e.childId(), repo).ifPresent(resources::add);
        boolean underAgreement = e.child().decision().effect() == Decision.Effect.REDUCE && !e.child().decision().removeListed();
        Map<String, String> context = Map.of("CentreCode", e.centre(), "Reason", e.event(),
                "SharedUnder", underAgreement ? "LIVE-BIRTH-ISP" : "CONSENT");
        String prefix = ExportService.ID_BASE + FEED + "/";
        String childRef = identity.identifiersOf(e.childId()).stream().filter(i -> i.hasSystem() && i.getSystem().startsWith(prefix)
                && i.getSystem().endsWith("/child")).map(Identifier::getValue).findFirst().orElse("");
        return new OutboundRecord(childRef, resources, context);
    }

    /** The child's first carer record the centre may see, as it may see it. */
    private Optional<RelatedPerson> carer(String childId, GatedRepository repo) {
        Map<String, String[]> criteria = new LinkedHashMap<>();
        criteria.put("patient", new String[] {"Patient/" + childId});
        criteria.put("_tag", new String[] {DerivedRecords.TAG_SYSTEM + "|" + DerivedRecords.CARER_RECORD});
        return repo.released(repo.search(fhir.query("RelatedPerson", criteria)).keys()).stream()
                .map(r -> (RelatedPerson) r.resource()).filter(RelatedPerson::hasName).findFirst();
    }
}
