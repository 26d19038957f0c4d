package org.childrensgateway.mappers.transform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.TimeZone;

import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/** Strict date parsing (31/02/2023 is rejected, not rolled over) and formatting for mapping files. */
public final class DateFormats {

    public static final String ISO = "iso";
    private static final DateTimeFormatter FHIR_DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    private DateFormats() {
    }

    /** A strict formatter; {@code yyyy} is read as proleptic year so STRICT does not demand an era. */
    public static DateTimeFormatter formatter(String pattern) {
        return DateTimeFormatter.ofPattern(pattern.replace("yyyy", "uuuu")).withResolverStyle(ResolverStyle.STRICT);
    }

    public static LocalDate parseDate(String text, String pattern) {
        if (pattern == null || ISO.equals(pattern)) {
            return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE.withResolverStyle(ResolverStyle.STRICT));
        }
        return LocalDate.parse(text, formatter(pattern));
    }

    /** Local date-times are in {@code zone}; ISO text may carry an offset or Z, or be a plain date. */
    public static Instant parseInstant(String text, String pattern, ZoneId zone) {
        if (pattern == null || ISO.equals(pattern)) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            }
        }
        TemporalAccessor t = formatter(pattern).parse(text);
        return LocalDateTime.from(t).atZone(zone).toInstant();
    }

    public static DateType toDateType(LocalDate d) {
        return new DateType(d.toString());
    }

    /** A FHIR dateTime with seconds and the zone's offset at that instant. */
    public static DateTimeType toDateTimeType(Instant i, ZoneId zone) {
        return new DateTimeType(FHIR_DATETIME.format(i.atZone(zone)));
    }

    public static LocalDate toLocalDate(DateType d) {
        return LocalDate.of(d.getYear(), d.getMonth() + 1, d.getDay());
    }

    /** Formats a FHIR date or dateTime with a mapping pattern, in {@code zone}. */
    public static String format(org.hl7.fhir.r4.model.BaseDateTimeType value, String pattern, ZoneId zone, boolean dateOnly) {
        if (value == null || value.getValue() == null) {
            return null;
        }
        if (value.getPrecision().ordinal() <= TemporalPrecisionEnum.DAY.ordinal()) {
            LocalDate d = LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay());
            if (dateOnly) {
                return pattern == null || ISO.equals(pattern) ? d.toString() : formatter(datePart(pattern)).format(d);
            }
        }
        // A date-time field is written with a time even when only the day is known (RiO and SystmOne readers
        // require one): the start of that day, local time.
        Instant i = value.getPrecision().ordinal() <= TemporalPrecisionEnum.DAY.ordinal()
                ? LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay()).atStartOfDay(zone).toInstant()
                : value.getValue().toInstant();
        if (dateOnly) {
            LocalDate d = i.atZone(zone).toLocalDate();
            return pattern == null || ISO.equals(pattern) ? d.toString() : formatter(pattern).format(d);
        }
        if (pattern == null || ISO.equals(pattern)) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atOffset(ZoneOffset.UTC)).replace("+00:00", "Z");
        }
        return formatter(pattern).format(i.atZone(zone));
    }

    private static String datePart(String pattern) {
        int space = pattern.indexOf(' ');
        return space < 0 ? pattern : pattern.substring(0, space);
    }

    public static Date toDate(Instant i) {
        return Date.from(i);
    }

    public static TimeZone timeZone(ZoneId zone) {
        return TimeZone.getTimeZone(zone);
    }
}
