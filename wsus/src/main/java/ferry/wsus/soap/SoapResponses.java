package ferry.wsus.soap;

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

import java.util.Base64;
import java.util.List;

/** Response bodies an upstream server sends (MS-WSUSSS 3.1.4), in the shapes a Windows Server 2025 WSUS uses. */
public final class SoapResponses {

    private SoapResponses() {
    }

    /**
     * GetAuthConfigResponse (3.1.4.1): LastChange, then AuthInfo with the plug-ins. Each carries an empty
     * Parameter element as real servers send it (the spec says to leave it out; receivers ignore it either way).
     */
    public static byte[] getAuthConfig(String lastChange, List<AuthPlugIn> plugIns) {
        SoapWriter w = result(Operation.GET_AUTH_CONFIG).element("LastChange", lastChange).start("AuthInfo");
        for (AuthPlugIn p : plugIns) {
            w.start("AuthPlugInInfo").element("PlugInID", p.plugInId()).element("ServiceUrl", p.serviceUrl())
                    .empty("Parameter").end();
        }
        return w.end().end().end().finish();
    }

    /** GetAuthorizationCookieResponse (3.1.4.2). */
    public static byte[] getAuthorizationCookie(AuthorizationCookie cookie) {
        return result(Operation.GET_AUTHORIZATION_COOKIE).element("PlugInId", cookie.plugInId())
                .element("CookieData", cookie.cookieData()).end().end().finish();
    }

    /** GetCookieResponse (3.1.4.3). */
    public static byte[] getCookie(Cookie cookie) {
        return result(Operation.GET_COOKIE).element("Expiration", cookie.expiration())
                .element("EncryptedData", cookie.encryptedData()).end().end().finish();
    }

    /** GetConfigDataResponse (3.1.4.4), fields in schema order. */
    public static byte[] getConfigData(ConfigData c) {
        SoapWriter w = result(Operation.GET_CONFIG_DATA)
                .element("CatalogOnlySync", c.catalogOnlySync())
                .element("LazySync", c.lazySync())
                .element("ServerHostsPsfFiles", c.serverHostsPsfFiles())
                .element("MaxNumberOfComputerIdsInRequest", c.maxNumberOfComputerIdsInRequest())
                .element("MaxNumberOfDriverSetsPerRequest", c.maxNumberOfDriverSetsPerRequest())
                .element("MaxNumberOfPnpHardwareIdsInRequest", c.maxNumberOfPnpHardwareIdsInRequest())
                .element("MaxNumberOfUpdatesPerRequest", c.maxNumberOfUpdatesPerRequest())
                .element("NewConfigAnchor", c.newConfigAnchor())
                .element("ProtocolVersion", c.protocolVersion());
        if (c.languages().isEmpty()) {
            w.empty("LanguageUpdateList");
        } else {
            w.start("LanguageUpdateList");
            for (LanguageData l : c.languages()) {
                w.start("ServerSyncLanguageData").element("LanguageID", l.languageId())
                        .element("ShortLanguage", l.shortLanguage()).element("LongLanguage", l.longLanguage())
                        .element("Enabled", l.enabled()).end();
            }
            w.end();
        }
        return w.element("MaxUpdatesPerRequestInGetUpdateDecryptionData", c.maxUpdatesPerRequestInGetUpdateDecryptionData())
                .end().end().finish();
    }

    /** GetRevisionIdListResponse (3.1.4.5): Anchor, then NewRevisions (empty element when none). */
    public static byte[] getRevisionIdList(RevisionIdList list) {
        return result(Operation.GET_REVISION_ID_LIST).element("Anchor", list.anchor())
                .identities("NewRevisions", list.newRevisions()).end().end().finish();
    }

    /**
     * GetUpdateDataResponse (3.1.4.6): per update Id, XmlUpdateBlob, FileDigestList (only when there are files),
     * XmlUpdateBlobCompressed; then fileUrls with FileDigest, MUUrl (left out when unknown), UssUrl.
     */
    public static byte[] getUpdateData(ServerUpdateData data) {
        SoapWriter w = result(Operation.GET_UPDATE_DATA).start("updates");
        for (UpdateData u : data.updates()) {
            w.start("ServerSyncUpdateData").identity("Id", u.id());
            w.element("XmlUpdateBlob", u.xmlUpdateBlob());
            if (!u.fileDigests().isEmpty()) {
                w.start("FileDigestList");
                for (String digest : u.fileDigests()) {
                    w.element("base64Binary", digest);
                }
                w.end();
            }
            if (u.xmlUpdateBlobCompressed() != null) {
                w.element("XmlUpdateBlobCompressed", Base64.getEncoder().encodeToString(u.xmlUpdateBlobCompressed()));
            }
            w.end();
        }
        w.end();
        if (data.fileUrls().isEmpty()) {
            w.empty("fileUrls");
        } else {
            w.start("fileUrls");
            for (UrlData url : data.fileUrls()) {
                w.start("ServerSyncUrlData").element("FileDigest", url.fileDigest())
                        .element("MUUrl", emptyToNull(url.muUrl())).element("UssUrl", url.ussUrl() == null ? "" : url.ussUrl())
                        .end();
            }
            w.end();
        }
        return w.end().end().finish();
    }

    /** GetUpdateDecryptionDataResponse (3.1.4.18). */
    public static byte[] getUpdateDecryptionData(List<UpdateFileDecryption> data) {
        SoapWriter w = result(Operation.GET_UPDATE_DECRYPTION_DATA).start("UpdateFileDecryptionData");
        for (UpdateFileDecryption u : data) {
            w.start("ServerSyncUpdateFileDecryption").identity("UpdateId", u.updateId()).start("FileDecryptionData");
            for (FileDecryption f : u.files()) {
                w.start("ServerSyncFileDecryption").element("FileDigest", f.fileDigest())
                        .element("DecryptionKey", f.decryptionKey()).end();
            }
            w.end().end();
        }
        return w.end().end().end().finish();
    }

    /** A SOAP 1.1 fault with the MS-WSUSSS detail (2.2.9.1); sent with HTTP status 500. */
    public static byte[] fault(SoapFault f) {
        SoapWriter w = new SoapWriter(true).prefixed("Fault")
                .element("faultcode", f.faultCode()).element("faultstring", f.faultString())
                .element("faultactor", f.faultActor())
                .start("detail")
                .element("ErrorCode", f.errorCode())
                .element("Message", f.message() == null ? "" : f.message())
                .element("ID", f.id())
                .element("Method", f.method())
                .end();
        return w.end().finish();
    }

    private static SoapWriter result(Operation op) {
        return new SoapWriter(true).operation(op.responseElement(), op.namespace()).start(op.resultElement());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
