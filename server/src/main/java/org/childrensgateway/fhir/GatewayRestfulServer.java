package org.childrensgateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.ETagSupportEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;

/** HAPI's plain RESTful server at {@code /fhir}, given our providers, paging and capability statement. */
public class GatewayRestfulServer extends RestfulServer {

    private final List<Object> resourceProviders;
    private final List<Object> plainProviders;
    private final DatabasePagingProvider pagingProvider;
    private final List<Object> interceptors;
    private final SearchParamCapabilities capabilities;

    public GatewayRestfulServer(FhirContext context, List<Object> resourceProviders, List<Object> plainProviders,
                                DatabasePagingProvider pagingProvider, List<Object> interceptors,
                                SearchParamCapabilities capabilities) {
        super(context);
        this.resourceProviders = resourceProviders;
        this.plainProviders = plainProviders;
        this.pagingProvider = pagingProvider;
        this.interceptors = interceptors;
        this.capabilities = capabilities;
    }

    @Override
    protected void initialize() {
        setDefaultResponseEncoding(EncodingEnum.JSON);
        setETagSupport(ETagSupportEnum.ENABLED);
        setPagingProvider(pagingProvider);
        registerProviders(resourceProviders);
        registerProviders(plainProviders);
        interceptors.forEach(this::registerInterceptor);
        setServerConformanceProvider(new GatewayCapabilityStatementProvider(this, capabilities));
    }
}
