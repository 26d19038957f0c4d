package org.childrensgateway.fhir;

import ca.uhn.fhir.rest.annotation.Metadata;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ServerCapabilityStatementProvider;
import jakarta.servlet.http.HttpServletRequest;
import org.childrensgateway.search.SearchParamDefinition;
import org.childrensgateway.search.SearchParamType;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Enumerations;

/**
 * HAPI builds the interactions from our providers' annotations; we add what only we know: the
 * indexed search parameters, includes, conditional operations and profiles, so /metadata is true.
 */
public class GatewayCapabilityStatementProvider extends ServerCapabilityStatementProvider {

    private static final String VERSION = buildVersion();

    private final SearchParamCapabilities capabilities;

    private static String buildVersion() {
        try (java.io.InputStream in = GatewayCapabilityStatementProvider.class.getResourceAsStream("/META-INF/build-info.properties")) {
            java.util.Properties build = new java.util.Properties();
            if (in != null) {
                build.load(in);
            }
            return build.getProperty("build.version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    public GatewayCapabilityStatementProvider(RestfulServer server, SearchParamCapabilities capabilities) {
        super(server);
        this.capabilities = capabilities;
        setPublisher("Children's services FHIR gateway");
    }

    @Override
    @Metadata
    public IBaseConformance getServerConformance(HttpServletRequest request, RequestDetails details) {
        CapabilityStatement cs = (CapabilityStatement) super.getServerConformance(request, details);
        cs.setName("ChildrensGateway").setTitle("Children's services FHIR gateway");
        // The gateway's own name and version (build-info), not the HAPI library's.
        cs.getSoftware().setName("childrens-gateway").setVersion(VERSION);
        for (CapabilityStatement.CapabilityStatementRestComponent rest : cs.getRest()) {
            // One @Transaction method serves both Bundle types; HAPI only names "transaction".
            boolean hasBatch = rest.getInteraction().stream().anyMatch(i -> i.getCode() == CapabilityStatement.SystemRestfulInteraction.BATCH);
            if (!hasBatch) {
                rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);
            }
            // SMART App Launch 2 (backend services): clients find the token endpoint at the FHIR base's discovery document.
            rest.getSecurity().setCors(false).setDescription("OAuth 2.0 bearer tokens (SMART App Launch 2, backend services: "
                            + "client_credentials with private_key_jwt); discovery at .well-known/smart-configuration under this base")
                    .addService(new org.hl7.fhir.r4.model.CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                            "http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR")));
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                describe(resource);
            }
        }
        return cs;
    }

    /** How _total is honoured (docs/storage.md, "Searches and paging"). */
    static final String TOTALS = "Bundle.total counts exactly the matches the caller may see (_total=accurate, the default). "
            + "_total=none and _total=estimate give no total (no estimate is made): in the default order or sorted by _lastUpdated, "
            + "matches are then decided only until the page is full and pages follow by keyset; other orders count as accurate does. "
            + "Any other _total value is refused (400).";

    private void describe(CapabilityStatementRestResourceComponent resource) {
        String type = resource.getType();
        resource.getSearchParam().clear();
        resource.addSearchParam().setName("_id").setType(Enumerations.SearchParamType.TOKEN).setDocumentation("Logical id");
        resource.addSearchParam().setName("_lastUpdated").setType(Enumerations.SearchParamType.DATE)
                .setDocumentation("When the resource version last changed");
        resource.getSearchInclude().clear();
        for (SearchParamDefinition p : capabilities.searchParams().forType(type)) {
            resource.addSearchParam().setName(p.name()).setType(Enumerations.SearchParamType.fromCode(p.type().name().toLowerCase()))
                    .setDocumentation(p.description());
            if (p.type() == SearchParamType.REFERENCE) {
                resource.addSearchInclude(type + ":" + p.name());
            }
        }
        resource.getSearchRevInclude().clear();
        for (SearchParamDefinition p : capabilities.searchParams().all()) {
            if (p.type() == SearchParamType.REFERENCE && (p.targetTypes().isEmpty() || p.targetTypes().contains(type))) {
                resource.addSearchRevInclude(p.resourceType() + ":" + p.name());
            }
        }
        resource.getInteraction().stream().filter(i -> i.getCode() == CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE)
                .forEach(i -> i.setDocumentation(TOTALS));
        resource.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
        resource.setReadHistory(true);
        boolean writable = resource.getInteraction().stream()
                .anyMatch(i -> i.getCode() == CapabilityStatement.TypeRestfulInteraction.CREATE);
        if (writable) {
            resource.setConditionalCreate(true);
            resource.setConditionalUpdate(true);
            resource.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.SINGLE);
            // No update-as-create: a PUT to an id the caller cannot see must answer as for a missing one (docs/security.md).
            resource.setUpdateCreate(false);
        }
        String profile = capabilities.defaultProfiles().get(type);
        if (profile != null) {
            resource.setProfile(profile);
        }
    }
}
