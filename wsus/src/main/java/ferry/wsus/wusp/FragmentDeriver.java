package ferry.wsus.wusp;

import ferry.wsus.metadata.MetadataException;
import ferry.wsus.xml.SafeXml;
import ferry.wsus.xml.XmlLimits;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Derives a revision's {@link Fragments} from its update document, as MS-WUSP 3.1.1.1 specifies and as the
 * recorded Windows Server 2025 WSUS wrote them (the recorded behaviour wins where the two differ):
 * <ul>
 *   <li>element names lose their prefixes; elements of the Base, Msi and WindowsDriver applicability namespaces
 *       get {@code b.}, {@code m.} and {@code d.} instead; namespace declarations are dropped;</li>
 *   <li>{@code xsi:type} becomes {@code type} (the value, with its prefix, is kept);</li>
 *   <li>Core keeps {@code Properties}' {@code UpdateType}, {@code ExplicitlyDeployable},
 *       {@code AutoSelectOnWebSites}, {@code OSUpgrade} and {@code EulaID}, in that order, and none of its
 *       children; Extended renames {@code Properties} to {@code ExtendedProperties} and drops those and the
 *       publishing attributes;</li>
 *   <li>(recorded, not in the spec) attributes at their default value ({@code ExplicitlyDeployable="false"},
 *       {@code AutoSelectOnWebSites="false"}, {@code OSUpgrade="false"}, {@code PerUser="false"}) are dropped;
 *       empty elements are written {@code <Name />}.</li>
 * </ul>
 * Whitespace-only text between elements is dropped; comments and processing instructions are dropped.
 * Not thread-bound: every call parses its own document.
 */
public final class FragmentDeriver {
    private static final String BASE_RULES = "http://schemas.microsoft.com/msus/2002/12/BaseApplicabilityRules";
    private static final String MSI_RULES = "http://schemas.microsoft.com/msus/2002/12/MsiApplicabilityRules";
    private static final String DRIVER_RULES = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/WindowsDriver";

    private static final List<String> CORE_PROPERTIES =
            List.of("UpdateType", "ExplicitlyDeployable", "AutoSelectOnWebSites", "OSUpgrade", "EulaID");
    private static final Set<String> NOT_EXTENDED = Set.of("UpdateType", "ExplicitlyDeployable",
            "AutoSelectOnWebSites", "EulaID", "PublicationState", "PublisherID", "CreationDate", "IsPublic", "LegacyName",
            "DetectoidType", "OSUpgrade");
    private static final Map<String, String> DEFAULTS = Map.of("ExplicitlyDeployable", "false",
            "AutoSelectOnWebSites", "false", "OSUpgrade", "false", "PerUser", "false");

    private FragmentDeriver() {
    }

    /**
     * @param updateXml an update document ({@code <Update>} of namespace
     *                  {@code http://schemas.microsoft.com/msus/2002/12/Update}), as stored: UTF-8 unless its
     *                  declaration says otherwise, at most {@link XmlLimits#METADATA}'s size and depth
     * @throws MetadataException if the document is malformed, refused (DTD, entities, over the limits), or has no
     *                           {@code UpdateIdentity} or {@code Properties}
     */
    public static Fragments derive(byte[] updateXml) throws MetadataException {
        Node root = parse(updateXml);
        if (!root.name.equals("Update")) {
            throw new MetadataException("update metadata: the root element is <" + root.name + ">, not <Update>");
        }
        Node identity = root.child("UpdateIdentity");
        Node properties = root.child("Properties");
        if (identity == null || properties == null) {
            throw new MetadataException("update metadata: <Update> has no " + (identity == null ? "UpdateIdentity"
                    : "Properties"));
        }

        StringBuilder core = new StringBuilder(updateXml.length / 2);
        write(identity, core);
        List<Attr> scan = new ArrayList<>();
        for (String name : CORE_PROPERTIES) {
            Attr a = properties.attr(name);
            if (a != null && !isDefault(a)) {
                scan.add(a);
            }
        }
        writeElement("Properties", scan, List.of(), core);
        writeIfPresent(root.child("Relationships"), core);
        writeIfPresent(root.child("ApplicabilityRules"), core);

        StringBuilder extended = new StringBuilder();
        List<Attr> rest = new ArrayList<>();
        for (Attr a : properties.attrs) {
            if (!NOT_EXTENDED.contains(a.name) && !isDefault(a)) {
                rest.add(a);
            }
        }
        writeElement("ExtendedProperties", rest, properties.children, extended);
        writeIfPresent(root.child("Files"), extended);
        writeIfPresent(root.child("HandlerSpecificData"), extended);

        List<Fragments.Localized> localized = new ArrayList<>();
        List<Fragments.Eula> eulas = new ArrayList<>();
        Node collection = root.child("LocalizedPropertiesCollection");
        if (collection != null) {
            for (Object o : collection.children) {
                if (!(o instanceof Node n)) {
                    continue;
                }
                StringBuilder xml = new StringBuilder();
                write(n, xml);
                if (n.name.equals("LocalizedProperties")) {
                    Node language = n.child("Language");
                    localized.add(new Fragments.Localized(language == null ? "" : language.text().trim(), xml.toString()));
                } else if (n.name.equals("EulaFile")) {
                    Attr language = n.attr("Language");
                    Attr geo = n.attr("GeoId");
                    eulas.add(new Fragments.Eula(language == null ? "" : language.value,
                            geo == null ? "" : geo.value, xml.toString()));
                }
            }
        }
        return new Fragments(core.toString(), extended.toString(), localized, eulas);
    }

    private static boolean isDefault(Attr a) {
        return a.value.equals(DEFAULTS.get(a.name));
    }

    private static void writeIfPresent(Node n, StringBuilder out) {
        if (n != null) {
            write(n, out);
        }
    }

    private static void write(Node n, StringBuilder out) {
        writeElement(n.name, n.attrs, n.children, out);
    }

    private static void writeElement(String name, List<Attr> attrs, List<Object> children, StringBuilder out) {
        out.append('<').append(name);
        for (Attr a : attrs) {
            out.append(' ').append(a.name).append("=\"");
            escape(a.value, true, out);
            out.append('"');
        }
        if (children.isEmpty()) {
            out.append(" />");
            return;
        }
        out.append('>');
        for (Object c : children) {
            if (c instanceof Node child) {
                write(child, out);
            } else {
                escape((String) c, false, out);
            }
        }
        out.append("</").append(name).append('>');
    }

    private static void escape(String s, boolean attribute, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\n' -> out.append(attribute ? "&#xA;" : "\n");
                case '\r' -> out.append("&#xD;");
                case '\t' -> out.append(attribute ? "&#x9;" : "\t");
                default -> out.append(c);
            }
        }
    }

    // --- a small tree of the document; update documents are at most a few MiB (XmlLimits.METADATA bounds them)

    private record Attr(String name, String value) {
    }

    private static final class Node {
        final String name;
        final List<Attr> attrs;
        final List<Object> children = new ArrayList<>(); // Node or String

        Node(String name, List<Attr> attrs) {
            this.name = name;
            this.attrs = attrs;
        }

        Node child(String localName) {
            for (Object o : children) {
                if (o instanceof Node n && n.localName().equals(localName)) {
                    return n;
                }
            }
            return null;
        }

        Attr attr(String attrName) {
            for (Attr a : attrs) {
                if (a.name.equals(attrName)) {
                    return a;
                }
            }
            return null;
        }

        /** The name without a {@code b.}/{@code m.}/{@code d.} mark: lookups go by the element's local name. */
        String localName() {
            int dot = name.indexOf('.');
            return dot == 1 ? name.substring(2) : name;
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            for (Object o : children) {
                if (o instanceof String s) {
                    sb.append(s);
                }
            }
            return sb.toString();
        }
    }

    private static Node parse(byte[] xml) throws MetadataException {
        List<Node> open = new ArrayList<>();
        Node root = null;
        try {
            XMLStreamReader r = SafeXml.reader(new ByteArrayInputStream(xml), XmlLimits.METADATA);
            try {
                while (r.hasNext()) {
                    switch (r.next()) {
                        case XMLStreamConstants.START_ELEMENT -> {
                            Node n = new Node(elementName(r.getNamespaceURI(), r.getLocalName()), attributes(r));
                            if (open.isEmpty()) {
                                root = n;
                            } else {
                                open.get(open.size() - 1).children.add(n);
                            }
                            open.add(n);
                        }
                        case XMLStreamConstants.END_ELEMENT -> {
                            Node n = open.remove(open.size() - 1);
                            if (n.children.stream().anyMatch(c -> c instanceof Node)) {
                                n.children.removeIf(c -> c instanceof String s && s.isBlank());
                            }
                        }
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                            if (!open.isEmpty() && r.getTextLength() > 0) {
                                open.get(open.size() - 1).children.add(r.getText());
                            }
                        }
                        default -> {
                            // comments, processing instructions, the document's start and end
                        }
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new MetadataException("update metadata: malformed or refused XML: " + oneLine(e.getMessage()), e);
        }
        if (root == null) {
            throw new MetadataException("update metadata: no root element");
        }
        return root;
    }

    private static String elementName(String namespace, String local) {
        if (BASE_RULES.equals(namespace)) {
            return "b." + local;
        } else if (MSI_RULES.equals(namespace)) {
            return "m." + local;
        } else if (DRIVER_RULES.equals(namespace)) {
            return "d." + local;
        }
        return local;
    }

    private static List<Attr> attributes(XMLStreamReader r) {
        int n = r.getAttributeCount();
        List<Attr> attrs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // xsi:type becomes type, as recorded; namespace declarations are not attributes in StAX
            attrs.add(new Attr(r.getAttributeLocalName(i), r.getAttributeValue(i)));
        }
        return attrs;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
