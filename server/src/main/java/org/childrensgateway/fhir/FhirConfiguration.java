package org.childrensgateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.childrensgateway.profiles.compiled.CompiledProfiles;
import org.childrensgateway.search.SearchIndexer;
import org.childrensgateway.search.SearchParamRegistry;
import org.childrensgateway.search.SearchRequestParser;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires HAPI's plain server at {@code /fhir/*} with the gateway's providers. */
@Configuration(proxyBeanMethods = false)
public class FhirConfiguration {

    @Bean
    FhirContext fhirContext() {
        return withoutAutoContainment(FhirContext.forR4Cached());
    }

    /**
     * Every reference the gateway stores or returns is a string (parsed from JSON or set as one);
     * none holds a resource object for HAPI to contain. With auto-containment on, HAPI walks every
     * element of every resource it encodes looking for such references (4.5% of the transaction
     * ingest's CPU, in the encode before each resource is stored). Resources already contained are
     * encoded as before.
     */
    static FhirContext withoutAutoContainment(FhirContext context) {
        context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return context;
    }

    @Bean
    SearchParamRegistry searchParamRegistry() {
        return new SearchParamRegistry();
    }

    @Bean
    SearchIndexer searchIndexer(FhirContext context, SearchParamRegistry registry) {
        return new SearchIndexer(context, registry);
    }

    @Bean
    SearchRequestParser searchRequestParser(SearchParamRegistry registry) {
        return new SearchRequestParser(registry, FhirBase::current);
    }

    /** The process-wide validator, whose build began when the configuration was read ({@code ValidatorEarlyStart}). */
    @Bean
    ProfileValidatorFactory profileValidatorFactory(FhirContext context) {
        return context == FhirContext.forR4Cached() ? ProfileValidatorFactory.shared() : new ProfileValidatorFactory(context);
    }

    /** The write path's compiled profile checks (cheap to create: profiles are compiled on first use). */
    @Bean
    CompiledProfiles compiledProfiles(ProfileValidatorFactory profiles) {
        return new CompiledProfiles(profiles);
    }

    @Bean
    ServletRegistrationBean<GatewayRestfulServer> fhirServlet(FhirContext context, FhirResourceService service,
                                                              BundleProcessor bundles, DatabasePagingProvider paging,
                                                              SearchParamRegistry registry, FhirInterceptors interceptors,
                                                              List<FhirOperationProvider> operations, ProfileValidatorFactory profiles) {
        List<Object> providers = new ArrayList<>();
        providers.add(new FhirResourceProvider<>(Patient.class, "Patient", service));
        providers.add(new FhirResourceProvider<>(RelatedPerson.class, "RelatedPerson", service));
        providers.add(new FhirResourceProvider<>(Consent.class, "Consent", service));
        providers.add(new FhirResourceProvider<>(Observation.class, "Observation", service));
        providers.add(new FhirResourceProvider<>(CarePlan.class, "CarePlan", service));
        providers.add(new FhirResourceProvider<>(Organization.class, "Organization", service));
        providers.add(new FhirResourceProvider<>(Practitioner.class, "Practitioner", service));
        providers.add(new FhirResourceProvider<>(Provenance.class, "Provenance", service));
        // A children's-centre registration arrives as an EpisodeOfCare at the centre.
        providers.add(new FhirResourceProvider<>(EpisodeOfCare.class, "EpisodeOfCare", service));
        // The conformance resources the gateway uses, read-only, so validators can fetch what /metadata names.
        // (the validator's own package, loaded once)
        List<org.hl7.fhir.instance.model.api.IBaseResource> conformance = profiles.getConformancePackage().getAllResources();
        providers.add(new ConformanceResourceProvider<>(org.hl7.fhir.r4.model.StructureDefinition.class, conformance));
        providers.add(new ConformanceResourceProvider<>(org.hl7.fhir.r4.model.ValueSet.class, conformance));
        providers.add(new ConformanceResourceProvider<>(org.hl7.fhir.r4.model.CodeSystem.class, conformance));
        providers.add(new ConformanceResourceProvider<>(org.hl7.fhir.r4.model.ConceptMap.class, conformance));
        providers.add(new ConformanceResourceProvider<>(org.hl7.fhir.r4.model.SearchParameter.class, conformance));
        // AuditEvent is written by the server itself; clients may only read and search it.
        providers.add(new ReadOnlyResourceProvider<>(AuditEvent.class, "AuditEvent", service));
        SearchParamCapabilities capabilities = new SearchParamCapabilities(registry, ProfileValidatorFactory.defaultProfiles());
        List<Object> plain = new ArrayList<>(List.of(new SystemProvider(bundles)));
        plain.addAll(operations);
        // Request bodies are parsed with a context of their own, so that nothing a client sends is
        // silently dropped (DataLossRefusingErrorHandler); stored JSON and profiles use the shared one.
        FhirContext requests = withoutAutoContainment(FhirContext.forR4());
        requests.setParserErrorHandler(new DataLossRefusingErrorHandler());
        GatewayRestfulServer server = new GatewayRestfulServer(requests, providers, plain,
                paging, interceptors.all(), capabilities);
        ServletRegistrationBean<GatewayRestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
