package ferry.wsus.soap;

import ferry.wsus.soap.Messages.AuthPlugIn;
import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.ConfigData;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Messages.FileDecryption;
import ferry.wsus.soap.Messages.LanguageData;
import ferry.wsus.soap.Messages.RevisionIdList;
import ferry.wsus.soap.Messages.RollupConfiguration;
import ferry.wsus.soap.Messages.ServerUpdateData;
import ferry.wsus.soap.Messages.UpdateData;
import ferry.wsus.soap.Messages.UpdateFileDecryption;
import ferry.wsus.soap.Messages.UrlData;

import ferry.wsus.UpdateIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Response bodies an upstream server sends (MS-WSUSSS 3.1.4), in the shapes a Windows Server 2025 WSUS uses, in
 * SOAP 1.1 or SOAP 1.2 (the methods without a {@link SoapVersion} write SOAP 1.1).
 */
public final class SoapResponses {

    private SoapResponses() {
    }

    /** As {@link #getAuthConfig(SoapVersion, String, List)} in SOAP 1.1. */
    public static byte[] getAuthConfig(String lastChange, List<AuthPlugIn> plugIns) {
        return getAuthConfig(SoapVersion.SOAP_11, lastChange, plugIns);
    }

    /**
     * GetAuthConfigResponse (3.1.4.1): LastChange, then AuthInfo with the plug-ins. Each carries an empty
     * Parameter element as real servers send it (the spec says to leave it out; receivers ignore it either way).
     */
    public static byte[] getAuthConfig(SoapVersion v, String lastChange, List<AuthPlugIn> plugIns) {
        SoapWriter w = result(v, Operation.GET_AUTH_CONFIG).element("LastChange", lastChange).start("AuthInfo");
        for (AuthPlugIn p : plugIns) {
            w.start("AuthPlugInInfo").element("PlugInID", p.plugInId()).element("ServiceUrl", p.serviceUrl())
                    .empty("Parameter").end();
        }
        return w.end().end().end().finish();
    }

    /** As {@link #getAuthorizationCookie(SoapVersion, AuthorizationCookie)} in SOAP 1.1. */
    public static byte[] getAuthorizationCookie(AuthorizationCookie cookie) {
        return getAuthorizationCookie(SoapVersion.SOAP_11, cookie);
    }

    /** GetAuthorizationCookieResponse (3.1.4.2). */
    public static byte[] getAuthorizationCookie(SoapVersion v, AuthorizationCookie cookie) {
        return result(v, Operation.GET_AUTHORIZATION_COOKIE).element("PlugInId", cookie.plugInId())
                .element("CookieData", cookie.cookieData()).end().end().finish();
    }

    /** As {@link #getCookie(SoapVersion, Cookie)} in SOAP 1.1. */
    public static byte[] getCookie(Cookie cookie) {
        return getCookie(SoapVersion.SOAP_11, cookie);
    }

    /** GetCookieResponse (3.1.4.3). */
    public static byte[] getCookie(SoapVersion v, Cookie cookie) {
        return result(v, Operation.GET_COOKIE).element("Expiration", cookie.expiration())
                .element("EncryptedData", cookie.encryptedData()).end().end().finish();
    }

    /** As {@link #getConfigData(SoapVersion, ConfigData)} in SOAP 1.1. */
    public static byte[] getConfigData(ConfigData c) {
        return getConfigData(SoapVersion.SOAP_11, c);
    }

    /** GetConfigDataResponse (3.1.4.4), fields in schema order. */
    public static byte[] getConfigData(SoapVersion v, ConfigData c) {
        SoapWriter w = result(v, Operation.GET_CONFIG_DATA)
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

    /** As {@link #getRevisionIdList(SoapVersion, RevisionIdList)} in SOAP 1.1. */
    public static byte[] getRevisionIdList(RevisionIdList list) {
        return getRevisionIdList(SoapVersion.SOAP_11, list);
    }

    /** GetRevisionIdListResponse (3.1.4.5): Anchor, then NewRevisions (empty element when none). */
    public static byte[] getRevisionIdList(SoapVersion v, RevisionIdList list) {
        return result(v, Operation.GET_REVISION_ID_LIST).element("Anchor", list.anchor())
                .identities("NewRevisions", list.newRevisions()).end().end().finish();
    }

    /**
     * GetRevisionIdListResponse as {@link #getRevisionIdList(SoapVersion, RevisionIdList)}, written to {@code out}
     * while {@code revisions} hands over the ids one by one (the same bytes for the same ids in the same order), so
     * that a list of hundreds of thousands of revisions is never held whole.
     *
     * @param revisions called once with a sink taking each revision in turn
     * @throws IOException as {@code revisions} throws it
     * @throws IllegalStateException when {@code out} fails (its IOException the cause's cause)
     */
    public static void getRevisionIdList(SoapVersion v, String anchor, RevisionSource revisions, OutputStream out)
            throws IOException {
        SoapWriter w = new SoapWriter(v, true, out);
        Operation op = Operation.GET_REVISION_ID_LIST;
        w.operation(op.responseElement(), op.namespace()).start(op.resultElement()).element("Anchor", anchor);
        boolean[] any = {false};
        revisions.forEach(id -> {
            if (!any[0]) {
                w.start("NewRevisions");
                any[0] = true;
            }
            w.identity("UpdateIdentity", id);
        });
        if (any[0]) {
            w.end();
        } else {
            w.empty("NewRevisions");
        }
        w.end().end().finishStream();
    }

    /** Revisions handed over one at a time. */
    @FunctionalInterface
    public interface RevisionSource {
        void forEach(java.util.function.Consumer<UpdateIdentity> sink) throws IOException;
    }

    /** As {@link #getUpdateData(SoapVersion, ServerUpdateData)} in SOAP 1.1. */
    public static byte[] getUpdateData(ServerUpdateData data) {
        return getUpdateData(SoapVersion.SOAP_11, data);
    }

    /**
     * GetUpdateDataResponse (3.1.4.6): per update Id, XmlUpdateBlob, FileDigestList (only when there are files),
     * XmlUpdateBlobCompressed; then fileUrls with FileDigest, MUUrl and UssUrl, each present (empty when unknown).
     */
    public static byte[] getUpdateData(SoapVersion v, ServerUpdateData data) {
        SoapWriter w = result(v, Operation.GET_UPDATE_DATA).start("updates");
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
                w.base64Element("XmlUpdateBlobCompressed", u.xmlUpdateBlobCompressed());
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
                        .element("MUUrl", url.muUrl() == null ? "" : url.muUrl()).element("UssUrl", url.ussUrl() == null ? "" : url.ussUrl())
                        .end();
            }
            w.end();
        }
        return w.end().end().finish();
    }

    /** As {@link #getUpdateDecryptionData(SoapVersion, List)} in SOAP 1.1. */
    public static byte[] getUpdateDecryptionData(List<UpdateFileDecryption> data) {
        return getUpdateDecryptionData(SoapVersion.SOAP_11, data);
    }

    /** GetUpdateDecryptionDataResponse (3.1.4.18). */
    public static byte[] getUpdateDecryptionData(SoapVersion v, List<UpdateFileDecryption> data) {
        SoapWriter w = result(v, Operation.GET_UPDATE_DECRYPTION_DATA).start("UpdateFileDecryptionData");
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

    /** As {@link #fault(SoapVersion, SoapFault)} in SOAP 1.1. */
    public static byte[] fault(SoapFault f) {
        return fault(SoapVersion.SOAP_11, f);
    }

    /**
     * A fault with the MS-WSUSSS detail, sent with HTTP status 500. SOAP 1.1 (2.2.9.1): faultcode, faultstring,
     * faultactor and an unqualified {@code detail}. SOAP 1.2 (2.2.9.2): Code/Value ({@code soap:Sender} for
     * {@code soap:Client}, {@code soap:Receiver} for {@code soap:Server}), Reason/Text, Node, and a {@code Detail}
     * element with no namespace, as the specification requires (distinct from the SOAP 1.2 Detail).
     */
    public static byte[] fault(SoapVersion v, SoapFault f) {
        SoapWriter w = new SoapWriter(v, true).prefixed("Fault");
        if (v == SoapVersion.SOAP_11) {
            w.element("faultcode", f.faultCode()).element("faultstring", f.faultString())
                    .element("faultactor", f.faultActor())
                    .start("detail");
        } else {
            String code = "soap:Client".equals(f.faultCode()) ? "soap:Sender"
                    : "soap:Server".equals(f.faultCode()) ? "soap:Receiver" : f.faultCode();
            w.prefixed("Code").prefixedElement("Value", code).end()
                    .prefixed("Reason").prefixed("Text").attribute("xml", "http://www.w3.org/XML/1998/namespace", "lang", "en")
                    .text(f.faultString()).end().end();
            if (f.faultActor() != null) {
                w.prefixedElement("Node", f.faultActor());
            }
            w.start("Detail");
        }
        w.element("ErrorCode", f.errorCode())
                .element("Message", f.message() == null ? "" : f.message())
                .element("ID", f.id())
                .element("Method", f.method())
                .end();
        return w.end().finish();
    }

    /**
     * GetDeploymentsResponse (3.1.4.10): Anchor, then Groups, Deployments, DeadDeployments, HiddenUpdates and
     * AcceptedEulas, each present even when empty; GUID arrays as {@code <guid>} items (ArrayOfGuid).
     */
    public static byte[] getDeployments(SoapVersion v, Messages.DeploymentResult r) {
        SoapWriter w = result(v, Operation.GET_DEPLOYMENTS).element("Anchor", r.anchor());
        if (r.groups().isEmpty()) {
            w.empty("Groups");
        } else {
            w.start("Groups");
            for (Messages.TargetGroupData g : r.groups()) {
                w.start("ServerSyncTargetGroup").element("TargetGroupID", g.targetGroupId())
                        .element("ParentGroupId", g.parentGroupId()).element("Name", g.name())
                        .element("IsBuiltin", g.builtIn()).end();
            }
            w.end();
        }
        if (r.deployments().isEmpty()) {
            w.empty("Deployments");
        } else {
            w.start("Deployments");
            for (Messages.DeploymentData d : r.deployments()) {
                w.start("ServerSyncDeployment").element("UpdateId", d.update().updateId())
                        .element("RevisionNumber", d.update().revisionNumber()).element("Action", d.action())
                        .element("AdminName", d.adminName()).element("Deadline", d.deadline())
                        .element("IsAssigned", d.isAssigned()).element("GoLiveTime", d.goLiveTime())
                        .element("DeploymentGuid", d.deploymentGuid()).element("TargetGroupId", d.targetGroupId())
                        .element("DownloadPriority", d.downloadPriority()).end();
            }
            w.end();
        }
        guids(w, "DeadDeployments", r.deadDeployments());
        guids(w, "HiddenUpdates", r.hiddenUpdates());
        guids(w, "AcceptedEulas", r.acceptedEulas());
        return w.end().end().finish();
    }

    private static void guids(SoapWriter w, String array, List<String> ids) {
        if (ids.isEmpty()) {
            w.empty(array);
            return;
        }
        w.start(array);
        for (String id : ids) {
            w.element("guid", id);
        }
        w.end();
    }

    /** A response element with no content: DownloadFilesResponse (3.1.4.11), PingResponse, RollupDownstreamServersResponse (3.1.4.14). */
    public static byte[] empty(SoapVersion v, Operation op) {
        return new SoapWriter(v, true).operation(op.responseElement(), op.namespace()).end().finish();
    }

    /** GetRollupConfigurationResponse (3.1.4.13), fields in schema order. */
    public static byte[] getRollupConfiguration(SoapVersion v, RollupConfiguration c) {
        return result(v, Operation.GET_ROLLUP_CONFIGURATION)
                .element("DoDetailedRollup", c.doDetailedRollup())
                .element("RollupResetGuid", c.rollupResetGuid())
                .element("ServerId", c.serverId())
                .element("RollupDownstreamServersMaxBatchSize", c.rollupDownstreamServersMaxBatchSize())
                .element("RollupComputersMaxBatchSize", c.rollupComputersMaxBatchSize())
                .element("GetOutOfSyncComputersMaxBatchSize", c.getOutOfSyncComputersMaxBatchSize())
                .element("RollupComputerStatusMaxBatchSize", c.rollupComputerStatusMaxBatchSize())
                .end().end().finish();
    }

    /**
     * The response of RollupComputers (3.1.4.15, an empty ArrayOfChangedComputer) or GetOutOfSyncComputers
     * (3.1.4.16, an empty ArrayOfString: no computer is out of step, so none is asked for).
     */
    public static byte[] emptyResult(SoapVersion v, Operation op) {
        return new SoapWriter(v, true).operation(op.responseElement(), op.namespace()).empty(op.resultElement())
                .end().finish();
    }

    /** RollupComputerStatusResponse (3.1.4.17): whether the status was received and processed. */
    public static byte[] rollupComputerStatus(SoapVersion v, boolean processed) {
        return result(v, Operation.ROLLUP_COMPUTER_STATUS).text(Boolean.toString(processed)).end().end().finish();
    }

    private static SoapWriter result(SoapVersion v, Operation op) {
        return new SoapWriter(v, true).operation(op.responseElement(), op.namespace()).start(op.resultElement());
    }
}
