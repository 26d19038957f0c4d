package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A scope refusal is answered 403 and logged in one line, not as an ERROR with a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class RefusalLoggingTest extends GatewayTestBase {

    @Test
    void aScopeRefusalLogsOneLine(CapturedOutput output) {
        int before = output.getAll().length();
        RestAssured.given().header("Authorization", "Bearer " + tokenFor("patient-reader")).header("X-Request-ID", "scope-refusal-log-1")
                .get("/fhir/Observation?code=abc").then().statusCode(403);
        String logged = output.getAll().substring(before);
        List<String> lines = logged.lines().filter(l -> l.contains("scope-refusal-log-1")).toList();
        assertThat(lines).as(logged).hasSize(1);
        assertThat(lines.get(0)).contains("WARN").contains("scope-refusal-log-1").contains("403").contains("ForbiddenOperationException")
                .doesNotContain("abc");
        assertThat(logged).doesNotContain("Exception thrown by interceptor").doesNotContain("\tat ");
    }
}
