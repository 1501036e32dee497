package ferry.wsus.soap;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.AuthPlugIn;
import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.ConfigData;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Messages.FileDecryption;
import ferry.wsus.soap.Messages.LanguageData;
import ferry.wsus.soap.Messages.RevisionIdList;
import ferry.wsus.soap.Messages.ServerUpdateData;
import ferry.wsus.soap.Messages.UpdateData;
import ferry.wsus.soap.Messages.UpdateFileDecryption;
import ferry.wsus.soap.Messages.UrlData;
import ferry.wsus.xml.StaxCursor;
import ferry.wsus.xml.XmlLimits;

import javax.xml.stream.XMLStreamException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads responses on the downstream side (MS-WSUSSS 3.2.4) with the hardened parser and
 * {@link XmlLimits#SOAP_RESPONSE}, streaming: the body is never held as one string. Unknown elements are skipped;
 * required ones must be present. A fault body raises {@link SoapFaultException}.
 */
public final class SoapResponseReader {

    private SoapResponseReader() {
    }

    /** GetAuthConfig (3.1.4.1): the plug-ins of AuthInfo. */
    public static List<AuthPlugIn> getAuthConfig(InputStream in) throws SoapFormatException, SoapFaultException {
        return read(in, Operation.GET_AUTH_CONFIG, c -> {
            List<AuthPlugIn> plugIns = new ArrayList<>();
            while (c.nextChild()) {
                if (!"AuthInfo".equals(c.name())) {
                    c.skip();
                    continue;
                }
                while (c.nextChild()) {
                    String id = null;
                    String url = null;
                    while (c.nextChild()) {
                        switch (c.name()) {
                            case "PlugInID" -> id = c.text().trim();
                            case "ServiceUrl" -> url = c.text().trim();
                            default -> c.skip();
                        }
                    }
                    if (plugIns.size() < 100) {
                        plugIns.add(new AuthPlugIn(id, url));
                    }
                }
            }
            return plugIns;
        });
    }

    /** GetAuthorizationCookie (3.1.4.2). */
    public static AuthorizationCookie getAuthorizationCookie(InputStream in) throws SoapFormatException, SoapFaultException {
        return read(in, Operation.GET_AUTHORIZATION_COOKIE, c -> {
            String id = null;
            String data = null;
            while (c.nextChild()) {
                switch (c.name()) {
                    case "PlugInId" -> id = c.text().trim();
                    case "CookieData" -> data = c.text().trim();
                    default -> c.skip();
                }
            }
            if (data == null) {
                throw new SoapFormatException("GetAuthorizationCookieResult has no CookieData");
            }
            return new AuthorizationCookie(id, data);
        });
    }

    /** GetCookie (3.1.4.3). */
    public static Cookie getCookie(InputStream in) throws SoapFormatException, SoapFaultException {
        return read(in, Operation.GET_COOKIE, c -> SoapInput.cookie(c, "GetCookieResult"));
    }

    /** GetConfigData (3.1.4.4). */
    public static ConfigData getConfigData(InputStream in) throws SoapFormatException, SoapFaultException {
        return read(in, Operation.GET_CONFIG_DATA, c -> {
            boolean catalogOnly = false;
            boolean lazy = false;
            boolean psf = false;
            int maxUpdates = -1;
            int maxDriverSets = 0;
            int maxComputerIds = 0;
            int maxPnp = 0;
            int maxDecryption = 0;
            String anchor = null;
            String version = null;
            List<LanguageData> languages = new ArrayList<>();
            while (c.nextChild()) {
                String n = c.name();
                switch (n) {
                    case "CatalogOnlySync" -> catalogOnly = SoapInput.bool(c.text(), n);
                    case "LazySync" -> lazy = SoapInput.bool(c.text(), n);
                    case "ServerHostsPsfFiles" -> psf = SoapInput.bool(c.text(), n);
                    case "MaxNumberOfUpdatesPerRequest" -> maxUpdates = SoapInput.integer(c.text(), n);
                    case "MaxNumberOfDriverSetsPerRequest" -> maxDriverSets = SoapInput.integer(c.text(), n);
                    case "MaxNumberOfComputerIdsInRequest" -> maxComputerIds = SoapInput.integer(c.text(), n);
                    case "MaxNumberOfPnpHardwareIdsInRequest" -> maxPnp = SoapInput.integer(c.text(), n);
                    case "MaxUpdatesPerRequestInGetUpdateDecryptionData" -> maxDecryption = SoapInput.integer(c.text(), n);
                    case "NewConfigAnchor" -> anchor = c.text();
                    case "ProtocolVersion" -> version = c.text().trim();
                    case "LanguageUpdateList" -> {
                        while (c.nextChild()) {
                            if (languages.size() >= 1000) {
                                throw new SoapFormatException("LanguageUpdateList holds more than 1000 languages");
                            }
                            languages.add(language(c));
                        }
                    }
                    default -> c.skip();
                }
            }
            if (maxUpdates < 1) {
                throw new SoapFormatException("GetConfigDataResult has no positive MaxNumberOfUpdatesPerRequest");
            }
            if (anchor == null) {
                throw new SoapFormatException("GetConfigDataResult has no NewConfigAnchor");
            }
            return new ConfigData(catalogOnly, lazy, psf, maxUpdates, maxDriverSets, maxComputerIds, maxPnp, anchor,
                    version, languages, maxDecryption);
        });
    }

    private static LanguageData language(StaxCursor c) throws XMLStreamException, SoapFormatException {
        int id = -1;
        String shortName = null;
        String longName = null;
        boolean enabled = false;
        while (c.nextChild()) {
            switch (c.name()) {
                case "LanguageID" -> id = SoapInput.integer(c.text(), "LanguageID");
                case "ShortLanguage" -> shortName = c.text().trim();
                case "LongLanguage" -> longName = c.text().trim();
                case "Enabled" -> enabled = SoapInput.bool(c.text(), "Enabled");
                default -> c.skip();
            }
        }
        return new LanguageData(id, shortName, longName, enabled);
    }

    /** GetRevisionIdList (3.1.4.5). */
    public static RevisionIdList getRevisionIdList(InputStream in) throws SoapFormatException, SoapFaultException {
        return read(in, Operation.GET_REVISION_ID_LIST, c -> {
            String anchor = null;
            List<UpdateIdentity> ids = null;
            while (c.nextChild()) {
                switch (c.name()) {
                    case "Anchor" -> anchor = c.text();
                    case "NewRevisions" -> ids = SoapInput.identities(c, "NewRevisions");
                    default -> c.skip();
                }
            }
            if (anchor == null) {
                throw new SoapFormatException("GetRevisionIdListResult has no Anchor");
            }
            return new RevisionIdList(anchor, ids == null ? List.of() : ids);
        });
    }

    /** GetUpdateData (3.1.4.6); compressed blobs are returned as cabinet bytes, not decoded. */
    public static ServerUpdateData getUpdateData(InputStream in) throws SoapFormatException, SoapFaultException {
        return read(in, Operation.GET_UPDATE_DATA, c -> {
            List<UpdateData> updates = new ArrayList<>();
            List<UrlData> urls = new ArrayList<>();
            while (c.nextChild()) {
                switch (c.name()) {
                    case "updates" -> {
                        while (c.nextChild()) {
                            if (updates.size() >= 10_000) {
                                throw new SoapFormatException("updates holds more than 10000 items");
                            }
                            updates.add(updateData(c));
                        }
                    }
                    case "fileUrls" -> {
                        while (c.nextChild()) {
                            if (urls.size() >= 1_000_000) {
                                throw new SoapFormatException("fileUrls holds more than 1000000 items");
                            }
                            urls.add(urlData(c));
                        }
                    }
                    default -> c.skip();
                }
            }
            return new ServerUpdateData(updates, urls);
        });
    }

    private static UpdateData updateData(StaxCursor c) throws XMLStreamException, SoapFormatException {
        UpdateIdentity id = null;
        String blob = null;
        byte[] compressed = null;
        List<String> digests = new ArrayList<>();
        while (c.nextChild()) {
            switch (c.name()) {
                case "Id" -> id = SoapInput.identity(c, "Id");
                case "XmlUpdateBlob" -> blob = c.text();
                case "XmlUpdateBlobCompressed" -> {
                    try {
                        compressed = Base64.getMimeDecoder().decode(c.text());
                    } catch (IllegalArgumentException e) {
                        throw new SoapFormatException("XmlUpdateBlobCompressed of " + id + " is not base64", e);
                    }
                }
                case "FileDigestList" -> {
                    while (c.nextChild()) {
                        if (digests.size() >= 100_000) {
                            throw new SoapFormatException("FileDigestList of " + id + " is too long");
                        }
                        digests.add(c.text().trim());
                    }
                }
                default -> c.skip();
            }
        }
        if (id == null) {
            throw new SoapFormatException("ServerSyncUpdateData without Id");
        }
        if ((blob == null) == (compressed == null)) {
            throw new SoapFormatException("update " + id + " has " + (blob == null ? "neither" : "both")
                    + " XmlUpdateBlob and XmlUpdateBlobCompressed");
        }
        return new UpdateData(id, blob, digests, compressed);
    }

    private static UrlData urlData(StaxCursor c) throws XMLStreamException {
        String digest = null;
        String mu = null;
        String uss = null;
        while (c.nextChild()) {
            switch (c.name()) {
                case "FileDigest" -> digest = c.text().trim();
                case "MUUrl" -> mu = emptyToNull(c.text().trim());
                case "UssUrl" -> uss = emptyToNull(c.text().trim());
                default -> c.skip();
            }
        }
        return new UrlData(digest, mu, uss);
    }

    /** GetUpdateDecryptionData (3.1.4.18). */
    public static List<UpdateFileDecryption> getUpdateDecryptionData(InputStream in)
            throws SoapFormatException, SoapFaultException {
        return read(in, Operation.GET_UPDATE_DECRYPTION_DATA, c -> {
            List<UpdateFileDecryption> out = new ArrayList<>();
            while (c.nextChild()) {
                if (!"UpdateFileDecryptionData".equals(c.name())) {
                    c.skip();
                    continue;
                }
                while (c.nextChild()) {
                    UpdateIdentity id = null;
                    List<FileDecryption> files = new ArrayList<>();
                    while (c.nextChild()) {
                        switch (c.name()) {
                            case "UpdateId" -> id = SoapInput.identity(c, "UpdateId");
                            case "FileDecryptionData" -> {
                                while (c.nextChild()) {
                                    String digest = null;
                                    String key = null;
                                    while (c.nextChild()) {
                                        switch (c.name()) {
                                            case "FileDigest" -> digest = c.text().trim();
                                            case "DecryptionKey" -> key = emptyToNull(c.text().trim());
                                            default -> c.skip();
                                        }
                                    }
                                    files.add(new FileDecryption(digest, key));
                                }
                            }
                            default -> c.skip();
                        }
                    }
                    if (id == null) {
                        throw new SoapFormatException("ServerSyncUpdateFileDecryption without UpdateId");
                    }
                    out.add(new UpdateFileDecryption(id, files));
                }
            }
            return out;
        });
    }

    @FunctionalInterface
    private interface ResultReader<T> {
        T read(StaxCursor result) throws XMLStreamException, SoapFormatException;
    }

    private static <T> T read(InputStream in, Operation op, ResultReader<T> reader)
            throws SoapFormatException, SoapFaultException {
        try {
            StaxCursor c = SoapInput.body(in, XmlLimits.SOAP_RESPONSE);
            SoapInput.expect(c, op.namespace(), op.responseElement());
            if (!c.nextChild()) {
                throw new SoapFormatException(op.responseElement() + " has no " + op.resultElement());
            }
            SoapInput.expect(c, op.namespace(), op.resultElement());
            return reader.read(c);
        } catch (XMLStreamException e) {
            throw new SoapFormatException("malformed or refused " + op.elementName() + " response: "
                    + oneLine(e.getMessage()), e);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
