package ferry.wsus.wusp;

import ferry.wsus.wusp.ClientResponses.AuthPlugIn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What GetConfig advertises to every client (MS-WUSP 2.2.2.2.1) apart from its LastChange: whether computers must
 * register, the authorization plug-ins and the configuration properties. Its {@link #digest()} is recorded in the
 * clients database; a served configuration whose digest differs from the recorded one is a configuration change,
 * which moves GetConfig's LastChange and makes earlier cookies ConfigChanged (MS-WUSP 3.1.5.4, 3.1.5.7).
 *
 * @param properties ConfigurationProperty name to value, in the order written
 */
public record ClientConfiguration(boolean registrationRequired, List<AuthPlugIn> plugIns,
                                  Map<String, String> properties) {
    /** GetConfig's MaxExtendedUpdatesPerRequest, as the recorded server advertised. */
    public static final int MAX_EXTENDED_UPDATES_PER_REQUEST = 50;

    public ClientConfiguration {
        plugIns = List.copyOf(plugIns);
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * ferry's configuration: registration required, SimpleTargeting at {@code SimpleAuthWebService/SimpleAuth.asmx},
     * and the recorded Windows Server 2025 WSUS's properties except {@code PackageServerShare} (ferry has no SMB
     * share): MaxExtendedUpdatesPerRequest 50, ProtocolVersion 3.2, IsInventoryRequired 0, ClientReportingLevel 2.
     */
    public static ClientConfiguration ferry() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("MaxExtendedUpdatesPerRequest", Integer.toString(MAX_EXTENDED_UPDATES_PER_REQUEST));
        properties.put("ProtocolVersion", "3.2");
        properties.put("IsInventoryRequired", "0");
        properties.put("ClientReportingLevel", "2");
        return new ClientConfiguration(true,
                List.of(new AuthPlugIn(ClientCookies.SIMPLE_TARGETING, "SimpleAuthWebService/SimpleAuth.asmx", null)),
                properties);
    }

    /** GetConfig's answer with {@code lastChange} (xs:dateTime text, UTC). */
    public ClientResponses.Config withLastChange(String lastChange) {
        return new ClientResponses.Config(lastChange, registrationRequired, plugIns, properties);
    }

    /**
     * SHA-256 (64 lower-case hex digits) of every advertised value in order, each length-prefixed so that no two
     * configurations share a text.
     */
    public String digest() {
        StringBuilder sb = new StringBuilder();
        field(sb, Boolean.toString(registrationRequired));
        for (AuthPlugIn p : plugIns) {
            field(sb, "plugIn");
            field(sb, p.plugInId());
            field(sb, p.serviceUrl());
            field(sb, p.parameter());
        }
        for (Map.Entry<String, String> e : properties.entrySet()) {
            field(sb, "property");
            field(sb, e.getKey());
            field(sb, e.getValue());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    private static void field(StringBuilder sb, String value) {
        if (value == null) {
            sb.append("-1:");
        } else {
            sb.append(value.length()).append(':').append(value);
        }
    }
}
