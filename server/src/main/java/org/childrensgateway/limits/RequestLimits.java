package org.childrensgateway.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What one request may ask of the gateway; docs/operations.md lists each with its default. Every
 * limit is checked before the body is parsed (or while it streams in), and a breach is answered
 * 413 or 400 with an OperationOutcome and audited.
 *
 * @param maxBodyBytes         largest body of a FHIR request, as received and after decompression
 * @param maxIngestBodyBytes   largest extract sent to /ingest, as received and after decompression
 * @param maxCompressionRatio  the most decompressed bytes per compressed byte (a gzip bomb has ~1000)
 * @param maxBundleEntries     most entries in a batch or transaction Bundle
 * @param maxQueryLength       longest query string, in characters as sent (percent-encoded)
 * @param maxQueryParameters   most query parameters (name=value pairs) in one request
 * @param maxConcurrentHeavy   most batch/transaction Bundles and synchronous extracts worked on at once
 * @param heavyQueueWait       longest such a request waits for its turn before a 503 with Retry-After
 */
@ConfigurationProperties(prefix = "gateway.limits")
public record RequestLimits(long maxBodyBytes, long maxIngestBodyBytes, int maxCompressionRatio, int maxBundleEntries,
                            int maxQueryLength, int maxQueryParameters, int maxConcurrentHeavy,
                            java.time.Duration heavyQueueWait) {

    public RequestLimits {
        maxBodyBytes = maxBodyBytes > 0 ? maxBodyBytes : 10L * 1024 * 1024;
        maxIngestBodyBytes = maxIngestBodyBytes > 0 ? maxIngestBodyBytes : 256L * 1024 * 1024;
        maxCompressionRatio = maxCompressionRatio > 0 ? maxCompressionRatio : 100;
        maxBundleEntries = maxBundleEntries > 0 ? maxBundleEntries : 1000;
        maxQueryLength = maxQueryLength > 0 ? maxQueryLength : 8192;
        maxQueryParameters = maxQueryParameters > 0 ? maxQueryParameters : 50;
        maxConcurrentHeavy = maxConcurrentHeavy > 0 ? maxConcurrentHeavy : 4;
        heavyQueueWait = heavyQueueWait != null && !heavyQueueWait.isNegative() ? heavyQueueWait : java.time.Duration.ofSeconds(30);
    }

    /** The body limit for a path: extracts are larger than FHIR requests. */
    long maxBodyBytesFor(String path) {
        return path.startsWith("/ingest/") ? maxIngestBodyBytes : maxBodyBytes;
    }
}
