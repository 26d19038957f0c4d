package org.childrensgateway.search;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DateTimeType;

/**
 * Turns FHIR dates of any precision into the closed-open instant range they cover. Dates with no
 * time zone (birth dates, partial dates) are read as UTC on both the indexing and the query side,
 * so the comparison is consistent.
 */
public final class DateRanges {

    /** Open-ended periods are stored with this far bound rather than null, keeping one index usable. */
    public static final Instant FAR_PAST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant FAR_FUTURE = Instant.parse("9999-12-31T00:00:00Z");

    public record Range(Instant low, Instant high) {
    }

    private DateRanges() {
    }

    public static Range of(BaseDateTimeType value) {
        TemporalPrecisionEnum precision = value.getPrecision();
        switch (precision) {
            case YEAR, MONTH, DAY -> {
                LocalDate start = LocalDate.of(value.getYear(),
                        precision == TemporalPrecisionEnum.YEAR ? 1 : value.getMonth() + 1,
                        precision == TemporalPrecisionEnum.DAY ? value.getDay() : 1);
                LocalDate end = switch (precision) {
                    case YEAR -> start.plusYears(1);
                    case MONTH -> start.plusMonths(1);
                    default -> start.plusDays(1);
                };
                return new Range(start.atStartOfDay(ZoneOffset.UTC).toInstant(), end.atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            default -> {
                Instant start = value.getValue().toInstant();
                ChronoUnit unit = switch (precision) {
                    case MINUTE -> ChronoUnit.MINUTES;
                    case SECOND -> ChronoUnit.SECONDS;
                    default -> ChronoUnit.MILLIS;
                };
                return new Range(start.truncatedTo(unit), start.truncatedTo(unit).plus(1, unit));
            }
        }
    }

    /**
     * Parses a search value such as {@code 2023}, {@code 2023-05-14}, {@code 2023-05-14T10:00:00Z} or,
     * as the FHIR search page's own examples write it, {@code 2023-05-14T10:00} (to the minute: the
     * range is that minute). A time with no zone is in the server's zone, as FHIR says.
     */
    public static Range parse(String value) {
        java.util.regex.Matcher minutes = TO_THE_MINUTE.matcher(value);
        if (minutes.matches()) {
            DateTimeType start = new DateTimeType(minutes.group(1) + ":00" + (minutes.group(2) == null ? "" : minutes.group(2)));
            Instant low = start.getValue().toInstant();
            return new Range(low, low.plus(1, ChronoUnit.MINUTES));
        }
        return of(new DateTimeType(value));
    }

    private static final java.util.regex.Pattern TO_THE_MINUTE =
            java.util.regex.Pattern.compile("(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2})(Z|[+-]\\d{2}:\\d{2})?");
}
