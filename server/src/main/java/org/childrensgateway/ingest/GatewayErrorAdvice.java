package org.childrensgateway.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.UUID;
import org.childrensgateway.mappers.MappingException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Errors from the gateway's own endpoints (/ingest, /export) as FHIR OperationOutcomes, the format
 * vendor systems already handle, with the right status and never a stack trace.
 */
@RestControllerAdvice(basePackages = {"org.childrensgateway.ingest", "org.childrensgateway.export", "org.childrensgateway.identity",
        "org.childrensgateway.consent"})
public class GatewayErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorAdvice.class);

    private final FhirContext context;

    public GatewayErrorAdvice(FhirContext context) {
        this.context = context;
    }

    @ExceptionHandler(MappingException.class)
    ResponseEntity<String> mapping(MappingException e) {
        // Only a feed or file that does not exist is a 404; a mapping or extract that cannot be used is a 422.
        HttpStatus status = e instanceof org.childrensgateway.mappers.UnknownMappingException ? HttpStatus.NOT_FOUND
                : HttpStatus.UNPROCESSABLE_ENTITY;
        return outcome(status, e.getMessage());
    }

    @ExceptionHandler(IngestController.NotFoundException.class)
    ResponseEntity<String> notFound(IngestController.NotFoundException e) {
        return outcome(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler({IllegalArgumentException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<String> badRequest(Exception e) {
        return outcome(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(BaseServerResponseException.class)
    ResponseEntity<String> fhir(BaseServerResponseException e) {
        return outcome(HttpStatus.valueOf(e.getStatusCode()), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e) {
        String incident = UUID.randomUUID().toString();
        log.error("Incident {}: {}", incident, e.getClass().getTypeName(), e);
        return outcome(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error (incident " + incident + "); nothing further was stored");
    }

    /** The same OperationOutcome body, for handlers outside this advice. */
    public static ResponseEntity<String> outcome(int status, String message) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(status == 404 ? OperationOutcome.IssueType.NOTFOUND : status == 403 ? OperationOutcome.IssueType.FORBIDDEN
                        : OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(message);
        return ResponseEntity.status(status).contentType(MediaType.parseMediaType("application/fhir+json"))
                .body(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(oo));
    }

    private ResponseEntity<String> outcome(HttpStatus status, String message) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(status == HttpStatus.NOT_FOUND ? OperationOutcome.IssueType.NOTFOUND : OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(message);
        return ResponseEntity.status(status).contentType(MediaType.parseMediaType("application/fhir+json"))
                .body(context.newJsonParser().encodeResourceToString(oo));
    }
}
