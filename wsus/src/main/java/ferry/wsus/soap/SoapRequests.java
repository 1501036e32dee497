package ferry.wsus.soap;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Messages.IdAndDelta;
import ferry.wsus.soap.Messages.LanguageAndDelta;
import ferry.wsus.soap.Messages.ServerSyncFilter;

import java.util.List;

/** Request bodies a downstream server sends (MS-WSUSSS 3.2.4), as UTF-8 bytes in the recorded shapes. */
public final class SoapRequests {

    private SoapRequests() {
    }

    /** GetAuthConfig (3.1.4.1): no parameters. */
    public static byte[] getAuthConfig() {
        return request(Operation.GET_AUTH_CONFIG).end().finish();
    }

    /** DSS GetAuthorizationCookie (3.1.4.2): the DSS's FQDN and GUID. */
    public static byte[] getAuthorizationCookie(String accountName, String accountGuid) {
        return request(Operation.GET_AUTHORIZATION_COOKIE)
                .element("accountName", accountName).element("accountGuid", accountGuid).end().finish();
    }

    /** GetCookie (3.1.4.3); {@code oldCookie} may be null (first call). */
    public static byte[] getCookie(AuthorizationCookie authCookie, Cookie oldCookie, String protocolVersion) {
        SoapWriter w = request(Operation.GET_COOKIE).start("authCookies").start("AuthorizationCookie")
                .element("PlugInId", authCookie.plugInId()).element("CookieData", authCookie.cookieData()).end().end();
        if (oldCookie != null) {
            cookie(w, "oldCookie", oldCookie);
        }
        return w.element("protocolVersion", protocolVersion).end().finish();
    }

    /** GetConfigData (3.1.4.4); {@code configAnchor} may be null. */
    public static byte[] getConfigData(Cookie cookie, String configAnchor) {
        SoapWriter w = request(Operation.GET_CONFIG_DATA);
        cookie(w, "cookie", cookie);
        return w.element("configAnchor", configAnchor).end().finish();
    }

    /** GetRevisionIdList (3.1.4.5). */
    public static byte[] getRevisionIdList(Cookie cookie, ServerSyncFilter filter) {
        SoapWriter w = request(Operation.GET_REVISION_ID_LIST);
        cookie(w, "cookie", cookie);
        w.start("filter").element("Anchor", emptyToNull(filter.anchor())).element("GetConfig", filter.getConfig());
        idsAndDeltas(w, "Categories", filter.categories());
        idsAndDeltas(w, "Classifications", filter.classifications());
        if (!filter.languages().isEmpty()) {
            w.start("Languages");
            for (LanguageAndDelta l : filter.languages()) {
                w.start("LanguageAndDelta").element("Id", l.id()).element("Delta", l.delta()).end();
            }
            w.end();
        }
        return w.end().end().finish();
    }

    /** GetUpdateData (3.1.4.6). */
    public static byte[] getUpdateData(Cookie cookie, List<UpdateIdentity> updateIds) {
        SoapWriter w = request(Operation.GET_UPDATE_DATA);
        cookie(w, "cookie", cookie);
        return w.identities("updateIds", updateIds).end().finish();
    }

    /** GetUpdateDecryptionData (3.1.4.18). */
    public static byte[] getUpdateDecryptionData(Cookie cookie, List<UpdateIdentity> updateIds) {
        SoapWriter w = request(Operation.GET_UPDATE_DECRYPTION_DATA);
        cookie(w, "cookie", cookie);
        return w.identities("updateIds", updateIds).end().finish();
    }

    private static SoapWriter request(Operation op) {
        return new SoapWriter(false).operation(op.elementName(), op.namespace());
    }

    private static void cookie(SoapWriter w, String name, Cookie cookie) {
        w.start(name).element("Expiration", cookie.expiration()).element("EncryptedData", cookie.encryptedData()).end();
    }

    private static void idsAndDeltas(SoapWriter w, String name, List<IdAndDelta> ids) {
        if (ids.isEmpty()) {
            return;
        }
        w.start(name);
        for (IdAndDelta id : ids) {
            w.start("IdAndDelta").element("Id", id.id()).element("Delta", id.delta()).end();
        }
        w.end();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
