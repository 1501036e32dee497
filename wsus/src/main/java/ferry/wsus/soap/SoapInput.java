package ferry.wsus.soap;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.xml.SafeXml;
import ferry.wsus.xml.StaxCursor;
import ferry.wsus.xml.XmlLimits;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Shared reading of SOAP 1.1 and 1.2 envelopes and the common types of MS-WSUSSS 2.2.4 (also used by the MS-WUSP
 * readers of {@code ferry.wsus.wusp}, whose messages share the envelope, cookie and identity shapes).
 */
public final class SoapInput {

    /** Longest array accepted in any message (real revision lists reach tens of thousands). */
    static final int MAX_ITEMS = 1_000_000;

    private SoapInput() {
    }

    /**
     * Opens a SOAP 1.1 or 1.2 envelope and stands on the body's first element. A Fault there is read and thrown.
     */
    static StaxCursor body(InputStream in, XmlLimits limits) throws XMLStreamException, SoapFormatException,
            SoapFaultException {
        return open(in, limits, null).cursor();
    }

    /** An opened envelope: the cursor on the body's first element and the envelope's SOAP version. */
    public record Opened(StaxCursor cursor, SoapVersion version) {
    }

    /**
     * Opens the envelope and stands on the body's first element. A Fault there is read and thrown.
     *
     * @param expected the version the envelope must have, or null for either
     * @throws SoapFormatException for another root, another version than {@code expected}, no or an empty Body
     */
    public static Opened open(InputStream in, XmlLimits limits, SoapVersion expected) throws XMLStreamException,
            SoapFormatException, SoapFaultException {
        XMLStreamReader reader = SafeXml.reader(in, limits);
        StaxCursor c = new StaxCursor(reader);
        c.root();
        SoapVersion version = c.name().equals("Envelope") ? SoapVersion.ofEnvelope(c.namespace()) : null;
        if (version == null) {
            throw new SoapFormatException("not a SOAP envelope: root is {" + c.namespace() + "}" + c.name());
        }
        if (expected != null && version != expected) {
            throw new SoapFormatException("a " + (version == SoapVersion.SOAP_12 ? "SOAP 1.2" : "SOAP 1.1")
                    + " envelope sent with the content type of " + (expected == SoapVersion.SOAP_12 ? "SOAP 1.2" : "SOAP 1.1"));
        }
        String ns = version.envelopeNamespace();
        while (true) {
            if (!c.nextChild()) {
                throw new SoapFormatException("SOAP envelope has no Body");
            }
            if (c.is(ns, "Body")) {
                break;
            }
            if (c.is(ns, "Header")) {
                c.skip();
                continue;
            }
            throw new SoapFormatException("unexpected element " + c.name() + " in the SOAP envelope");
        }
        if (!c.nextChild()) {
            throw new SoapFormatException("SOAP Body is empty");
        }
        if (c.is(ns, "Fault")) {
            throw new SoapFaultException(fault(c));
        }
        return new Opened(c, version);
    }

    private static SoapFault fault(StaxCursor c) throws XMLStreamException {
        String code = null;
        String string = null;
        String actor = null;
        String errorCode = null;
        String message = null;
        String id = null;
        String method = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "faultcode" -> code = c.text().trim();
                case "faultstring" -> string = c.text();
                case "faultactor", "Node" -> actor = c.text();
                case "Code" -> {
                    while (c.nextChild()) {
                        if (c.name().equals("Value") && code == null) {
                            code = c.text().trim();
                        } else {
                            c.skip();
                        }
                    }
                }
                case "Reason" -> {
                    while (c.nextChild()) {
                        if (c.name().equals("Text") && string == null) {
                            string = c.text();
                        } else {
                            c.skip();
                        }
                    }
                }
                case "detail", "Detail" -> {
                    while (c.nextChild()) {
                        switch (c.name()) {
                            case "ErrorCode" -> errorCode = c.text().trim();
                            case "Message" -> message = c.text();
                            case "ID" -> id = c.text().trim();
                            case "Method" -> method = c.text().trim();
                            default -> c.skip();
                        }
                    }
                }
                default -> c.skip();
            }
        }
        return new SoapFault(code, string, actor, errorCode == null || errorCode.isEmpty() ? null : errorCode,
                message, id, method);
    }

    /** Expects the current element to be {@code name} in {@code namespace}. */
    static void expect(StaxCursor c, String namespace, String name) throws SoapFormatException {
        if (!c.is(namespace, name)) {
            throw new SoapFormatException("expected {" + namespace + "}" + name + " but found {" + c.namespace() + "}"
                    + c.name());
        }
    }

    /** Reads a Cookie (MS-WSUSSS 2.2.4.1, MS-WUSP 2.2.2.2.2) standing on it; @throws SoapFormatException without Expiration */
    public static Cookie cookie(StaxCursor c, String parameter) throws XMLStreamException, SoapFormatException {
        String expiration = null;
        String data = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "Expiration" -> expiration = c.text().trim();
                case "EncryptedData" -> data = c.text().trim();
                default -> c.skip();
            }
        }
        if (expiration == null) {
            throw new SoapFormatException(parameter + " has no Expiration", parameter, null);
        }
        return new Cookie(expiration, data);
    }

    /** Reads an UpdateIdentity of child elements; @throws SoapFormatException if either part is missing or malformed */
    public static UpdateIdentity identity(StaxCursor c, String parameter) throws XMLStreamException, SoapFormatException {
        String id = null;
        String rev = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "UpdateID" -> id = c.text().trim();
                case "RevisionNumber" -> rev = c.text().trim();
                default -> c.skip();
            }
        }
        if (id == null || rev == null) {
            throw new SoapFormatException(parameter + ": UpdateIdentity lacks UpdateID or RevisionNumber", parameter, null);
        }
        try {
            return new UpdateIdentity(guid(id, parameter), Integer.parseInt(rev));
        } catch (IllegalArgumentException e) {
            throw new SoapFormatException(parameter + ": bad UpdateIdentity " + clip(id) + "/" + clip(rev), parameter, e);
        }
    }

    /** Reads an array of UpdateIdentity elements (element names of the items are not checked). */
    public static List<UpdateIdentity> identities(StaxCursor c, String parameter) throws XMLStreamException, SoapFormatException {
        List<UpdateIdentity> ids = new ArrayList<>();
        while (c.nextChild()) {
            if (ids.size() >= MAX_ITEMS) {
                throw new SoapFormatException(parameter + " holds more than " + MAX_ITEMS + " items", parameter, null);
            }
            ids.add(identity(c, parameter));
        }
        return ids;
    }

    /** A GUID in lower case; @throws SoapFormatException naming {@code parameter} for anything else */
    public static String guid(String value, String parameter) throws SoapFormatException {
        if (value.length() != 36) {
            throw new SoapFormatException(parameter + ": not a GUID: " + clip(value), parameter, null);
        }
        try {
            return UUID.fromString(value).toString().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new SoapFormatException(parameter + ": not a GUID: " + clip(value), parameter, e);
        }
    }

    /** xs:boolean ({@code true}, {@code false}, {@code 1}, {@code 0}); @throws SoapFormatException otherwise */
    public static boolean bool(String value, String parameter) throws SoapFormatException {
        return switch (value.trim()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new SoapFormatException(parameter + ": not a boolean: " + clip(value), parameter, null);
        };
    }

    /** xs:int; @throws SoapFormatException naming {@code parameter} otherwise */
    public static int integer(String value, String parameter) throws SoapFormatException {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new SoapFormatException(parameter + ": not an integer: " + clip(value), parameter, e);
        }
    }

    /** {@code s} cut short for an error message. */
    public static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
