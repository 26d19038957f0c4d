package org.childrensgateway.mappers.transform;

import java.util.Optional;

/**
 * NHS number normalisation and the modulus-11 check (NHS Data Dictionary).
 * Senders write the number as {@code 9434765919}, {@code 943 476 5919} or {@code 943-476-5919}.
 */
public final class NhsNumber {

    /** The identifier system UK Core uses for NHS numbers. */
    public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    private NhsNumber() {
    }

    /** Strips spaces and hyphens; empty when the input is blank. Does not validate. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = raw.replace(" ", "").replace("-", "").trim();
        return digits.isEmpty() ? Optional.empty() : Optional.of(digits);
    }

    /**
     * The NHS number made of these nine digits and their modulus-11 check digit, or empty when no
     * check digit exists for them (the remainder gives 10). Test data generators use it.
     */
    public static Optional<String> withCheckDigit(String nineDigits) {
        if (nineDigits == null || !nineDigits.matches("\\d{9}")) {
            throw new IllegalArgumentException("nine digits expected");
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (nineDigits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        return check == 10 ? Optional.empty() : Optional.of(nineDigits + check);
    }

    /** True when {@code value} is exactly ten digits whose tenth is the modulus-11 check digit of the first nine. */
    public static boolean isValid(String value) {
        if (value == null || value.length() != 10) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            if (i < 9) {
                sum += (c - '0') * (10 - i);
            }
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        // A remainder giving 10 means no valid check digit exists for these nine digits.
        return check != 10 && check == value.charAt(9) - '0';
    }

    /** Why {@code value} is not a usable NHS number, or empty when it is; the message never echoes the number. */
    public static Optional<String> problem(String value) {
        if (value == null || !value.matches("\\d{10}")) {
            return Optional.of("NHS number must be 10 digits (spaces or hyphens allowed)");
        }
        if (!isValid(value)) {
            return Optional.of("NHS number fails the modulus-11 check digit test");
        }
        return Optional.empty();
    }
}
