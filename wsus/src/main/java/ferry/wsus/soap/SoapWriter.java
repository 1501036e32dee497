package ferry.wsus.soap;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.xml.SafeXml;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Builds one SOAP 1.1 or 1.2 message in the shape real WSUS servers use: UTF-8 declaration, {@code soap:Envelope}
 * (declaring xsi and xsd on responses), {@code soap:Body}, and the operation element with its namespace as the
 * default namespace so children are written unprefixed. Shared by the MS-WSUSSS messages here and the MS-WUSP
 * messages of {@code ferry.wsus.wusp}. Not thread-safe; one message per instance.
 */
public final class SoapWriter {

    private final ByteArrayOutputStream buffer;
    /** Where the message's bytes go: {@link #buffer} or the caller's stream. */
    private final OutputStream target;
    private final XMLStreamWriter w;
    private final SoapVersion version;

    public SoapWriter(boolean declareSchemaNamespaces) {
        this(SoapVersion.SOAP_11, declareSchemaNamespaces);
    }

    public SoapWriter(SoapVersion version, boolean declareSchemaNamespaces) {
        this(version, declareSchemaNamespaces, null);
    }

    /**
     * A message written to {@code out} as it is built, for answers too large to hold (finish with
     * {@link #finishStream()}); null {@code out}: kept in memory for {@link #finish()}.
     */
    public SoapWriter(SoapVersion version, boolean declareSchemaNamespaces, OutputStream out) {
        this.buffer = out == null ? new ByteArrayOutputStream(4096) : null;
        this.target = out == null ? buffer : out;
        this.version = version;
        String ns = version.envelopeNamespace();
        try {
            w = SafeXml.writer(target);
            w.writeStartDocument("utf-8", "1.0");
            w.writeStartElement("soap", "Envelope", ns);
            w.writeNamespace("soap", ns);
            if (declareSchemaNamespaces) {
                w.writeNamespace("xsi", Soap.NS_XSI);
                w.writeNamespace("xsd", Soap.NS_XSD);
            }
            w.writeStartElement("soap", "Body", ns);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the body's single element in {@code namespace} (declared as default namespace). */
    public SoapWriter operation(String localName, String namespace) {
        try {
            w.writeStartElement("", localName, namespace);
            w.writeDefaultNamespace(namespace);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Starts an element of the envelope's namespace ({@code soap:} prefix). */
    public SoapWriter prefixed(String localName) {
        try {
            w.writeStartElement("soap", localName, version.envelopeNamespace());
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** {@code <soap:name>text</soap:name>} in the envelope's namespace. */
    public SoapWriter prefixedElement(String localName, String text) {
        prefixed(localName);
        text(text);
        return end();
    }

    /** An attribute on the element just started. */
    public SoapWriter attribute(String prefix, String namespace, String localName, String value) {
        try {
            w.writeAttribute(prefix, namespace, localName, value);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public SoapWriter start(String localName) {
        try {
            w.writeStartElement(localName);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public SoapWriter end() {
        try {
            w.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public SoapWriter empty(String localName) {
        try {
            w.writeEmptyElement(localName);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** {@code <name>text</name>}; null text writes nothing, empty text an empty element. */
    public SoapWriter element(String localName, String text) {
        if (text == null) {
            return this;
        }
        if (text.isEmpty()) {
            return empty(localName);
        }
        start(localName);
        text(text);
        return end();
    }

    /**
     * {@code <name>base64 of data</name>} (RFC 4648 alphabet, no line breaks); empty data writes an empty element.
     * The same bytes as {@code element(localName, Base64 text)}, but the base64 text goes straight to the output:
     * it needs no escaping, and the StAX writer's escaping, one character at a time, was a third of the CPU time
     * of a GetUpdateData answer (about 170 KB of base64 for 100 revisions).
     */
    public SoapWriter base64Element(String localName, byte[] data) {
        if (data.length == 0) {
            return empty(localName);
        }
        start(localName);
        try {
            w.writeCharacters("");  // closes the start tag
            w.flush();              // everything written so far is in target, so the raw bytes follow it in order
            OutputStream base64 = java.util.Base64.getEncoder().wrap(new OutputStream() {
                @Override
                public void write(int b) throws java.io.IOException {
                    target.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    target.write(b, off, len);
                }

                // close() does nothing: the encoder's close writes its padding, target stays open for the message
            });
            base64.write(data);
            base64.close();
        } catch (XMLStreamException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return end();
    }

    public SoapWriter element(String localName, boolean value) {
        return element(localName, Boolean.toString(value));
    }

    public SoapWriter element(String localName, int value) {
        return element(localName, Integer.toString(value));
    }

    public SoapWriter identity(String localName, UpdateIdentity id) {
        return start(localName).element("UpdateID", id.updateId()).element("RevisionNumber", id.revisionNumber()).end();
    }

    public SoapWriter identities(String arrayName, List<UpdateIdentity> ids) {
        if (ids.isEmpty()) {
            return empty(arrayName);
        }
        start(arrayName);
        for (UpdateIdentity id : ids) {
            identity("UpdateIdentity", id);
        }
        return end();
    }

    /**
     * Character data. A carriage return is written as {@code &#xD;} because XML parsers turn a literal one into a
     * line feed, and metadata documents must arrive character for character.
     *
     * @throws IllegalArgumentException for characters XML 1.0 cannot carry
     */
    public SoapWriter text(String text) {
        try {
            int from = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\r') {
                    if (i > from) {
                        w.writeCharacters(text.substring(from, i));
                    }
                    w.writeEntityRef("#xD");
                    from = i + 1;
                } else if (c < 0x20 && c != '\t' && c != '\n' || c == 0xFFFE || c == 0xFFFF) {
                    throw new IllegalArgumentException("character U+" + Integer.toHexString(c)
                            + " cannot be carried in XML 1.0 text");
                }
            }
            if (from < text.length()) {
                w.writeCharacters(from == 0 ? text : text.substring(from));
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Closes everything and returns the UTF-8 bytes (of a message kept in memory). */
    public byte[] finish() {
        if (buffer == null) {
            throw new IllegalStateException("a streamed message has no bytes to return: finishStream()");
        }
        finishStream();
        return buffer.toByteArray();
    }

    /** Closes every open element and flushes the message to its stream (which stays open). */
    public void finishStream() {
        try {
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }
}
