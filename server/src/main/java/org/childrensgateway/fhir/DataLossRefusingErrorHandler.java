package org.childrensgateway.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.LenientErrorHandler;

/**
 * How request bodies are parsed: anything the parser would have to throw away is refused (400), so
 * nothing a system sends is silently lost. HAPI's default (lenient) drops an element it does not know
 * ({@code "favouriteColour"}, an R5-only element, a misspelling) with a log line and stores the rest,
 * and the profile validator never sees what was dropped. Problems that do not lose data (an invalid
 * date, a missing required element, a number sent as a string) stay lenient here: the profile
 * validator reports those with their location (422).
 */
final class DataLossRefusingErrorHandler extends LenientErrorHandler {

    DataLossRefusingErrorHandler() {
        super(false); // refused or reported to the client; nothing to log
    }

    @Override
    public void unknownElement(IParseLocation location, String elementName) {
        throw new DataFormatException(where(location) + "unknown element '" + elementName + "': it would be lost, so the request is refused");
    }

    @Override
    public void unknownAttribute(IParseLocation location, String attributeName) {
        throw new DataFormatException(where(location) + "unknown attribute '" + attributeName + "': it would be lost, so the request is refused");
    }

    @Override
    public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
        throw new DataFormatException(where(location) + "element '" + elementName
                + "' may occur once but is repeated: only one could be kept, so the request is refused");
    }

    private static String where(IParseLocation location) {
        return location == null || location.getParentElementName() == null ? "" : "In " + location.getParentElementName() + ": ";
    }
}
