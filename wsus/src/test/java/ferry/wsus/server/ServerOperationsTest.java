package ferry.wsus.server;

import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.Approval;
import ferry.wsus.catalog.DeploymentChanges;
import ferry.wsus.catalog.TargetGroup;
import java.time.Instant;
import ferry.wsus.soap.SoapVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operations and behaviours of MS-WSUSSS a Windows downstream server may use beyond the recorded exchanges,
 * against a real Jetty on 127.0.0.1: IIS-style paths, SOAP 1.2, unknown operations, GetDeployments, DownloadFiles,
 * Ping, the Reporting Web Service, GetConfigData telling the truth about the content, and GetUpdateData's file
 * lists.
 */
class ServerOperationsTest {

    static final String NS = "http://www.microsoft.com/SoftwareDistribution";
    static final String SYNC = "/ServerSyncWebService/ServerSyncWebService.asmx";
    static final String REPORTING = "/ReportingWebService/ReportingWebService.asmx";
    static final UpdateIdentity LEAF = new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 200);
    static final String LEAF_DIGEST = "h/W9BGlYUAaqXTp30cZi/SiV3c0=";

    static TestCatalog catalog;
    static WsusServer server;

    @BeforeAll
    static void start() throws Exception {
        catalog = new TestCatalog();
        for (String name : Fixtures.DOC_NAMES) {
            catalog.add(Fixtures.doc(name));
        }
        server = WsusServer.start("127.0.0.1", 0, catalog, sha1 -> Optional.empty());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Reply(int status, String contentType, Shape body, String text) {
    }

    static Reply post(SoapVersion v, String path, String operation, String inner) throws Exception {
        String action = (operation.equals("GetAuthorizationCookie") ? NS + "/Server/DssAuthWebService" : NS) + "/" + operation;
        String ns = operation.equals("GetAuthorizationCookie") ? NS + "/Server/DssAuthWebService" : NS;
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"" + v.envelopeNamespace()
                + "\"><soap:Body><" + operation + " xmlns=\"" + ns + "\">" + inner + "</" + operation
                + "></soap:Body></soap:Envelope>";
        return raw(path, v == SoapVersion.SOAP_12 ? "application/soap+xml; charset=utf-8; action=\"" + action + "\""
                : "text/xml; charset=utf-8", v == SoapVersion.SOAP_11 ? "\"" + action + "\"" : null, body);
    }

    /** A POST over a plain socket, so that the path goes out exactly as written (double slashes included). */
    static Reply raw(String path, String contentType, String soapAction, String body) throws Exception {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", server.uri().getPort())) {
            OutputStream out = s.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.uri().getPort() + "\r\nConnection: close\r\nContent-Type: "
                    + contentType + "\r\n" + (soapAction == null ? "" : "SOAPAction: " + soapAction + "\r\n")
                    + "Content-Length: " + b.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            String headers = response.substring(0, split);
            String text = response.substring(split + 4);
            int status = Integer.parseInt(headers.substring(9, 12));
            String type = headers.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring(13).trim()).findFirst().orElse("");
            Shape shape = type.contains("xml") ? Shape.of(text) : null;
            return new Reply(status, type, shape, text);
        }
    }

    static String cookie(SoapVersion v) throws Exception {
        Reply auth = post(v, "/DssAuthWebService/DssAuthWebService.asmx", "GetAuthorizationCookie",
                "<accountName>dss.lab.invalid</accountName><accountGuid>6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12</accountGuid>");
        String data = auth.body().all("CookieData").get(0).text();
        Reply c = post(v, SYNC, "GetCookie", "<authCookies><AuthorizationCookie><PlugInId>DssTargeting</PlugInId><CookieData>"
                + data + "</CookieData></AuthorizationCookie></authCookies><protocolVersion>1.20</protocolVersion>");
        return "<cookie><Expiration>" + c.body().all("Expiration").get(0).text() + "</Expiration><EncryptedData>"
                + c.body().all("EncryptedData").get(0).text() + "</EncryptedData></cookie>";
    }

    static String errorCode(Reply r) {
        return r.body().all("ErrorCode").get(0).text();
    }

    @ParameterizedTest
    @ValueSource(strings = {"//ServerSyncWebService/ServerSyncWebService.asmx", "/serversyncwebservice/SERVERSYNCWEBSERVICE.asmx",
            "//serversyncwebservice//serversyncwebservice.asmx"})
    void serverSyncPathsAnswerAsOnIis(String path) throws Exception {
        Reply r = post(SoapVersion.SOAP_11, path, "GetAuthConfig", "");
        assertEquals(200, r.status(), r.text());
        assertEquals("DssTargeting", r.body().all("PlugInID").get(0).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"//DssAuthWebService/DssAuthWebService.asmx", "/dssauthWebService/dssauthWebService.asmx"})
    void dssAuthPathsAnswerAsOnIis(String path) throws Exception {
        Reply r = post(SoapVersion.SOAP_11, path, "GetAuthorizationCookie",
                "<accountName>dss.lab.invalid</accountName><accountGuid>6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12</accountGuid>");
        assertEquals(200, r.status(), r.text());
        assertEquals("DssTargeting", r.body().all("PlugInId").get(0).text());
    }

    @ParameterizedTest
    @EnumSource(SoapVersion.class)
    void eachVersionIsAnsweredInItsOwnVersion(SoapVersion v) throws Exception {
        Reply r = post(v, SYNC, "GetConfigData", cookie(v));
        assertEquals(200, r.status(), r.text());
        assertEquals(v.contentType(), r.contentType());
        assertEquals(v.envelopeNamespace(), r.body().namespace());
        assertEquals("Envelope", r.body().name());
    }

    @Test
    void aSoap12FaultHasTheSpecifiedShape() throws Exception {
        Reply r = post(SoapVersion.SOAP_12, SYNC, "GetRevisionIdList", "<filter><GetConfig>true</GetConfig></filter>");
        assertEquals(500, r.status());
        assertEquals(SoapVersion.SOAP_12.contentType(), r.contentType());
        Shape fault = r.body().all("Fault").get(0);
        assertEquals(SoapVersion.SOAP_12.envelopeNamespace(), fault.namespace());
        assertEquals(List.of("Code", "Reason", "Node", "Detail"), fault.children().stream().map(Shape::name).toList());
        assertEquals("soap:Sender", fault.child("Code").child("Value").text());
        Shape detail = fault.child("Detail");
        assertEquals("", detail.namespace(), "MS-WSUSSS 2.2.9.2: a Detail element with no namespace");
        assertEquals("InvalidCookie", detail.child("ErrorCode").text());
    }

    @Test
    void aSoap12EnvelopeSentAsTextXmlIsRefusedWithASoapFault() throws Exception {
        String body = "<soap:Envelope xmlns:soap=\"" + SoapVersion.SOAP_12.envelopeNamespace() + "\"><soap:Body>"
                + "<GetAuthConfig xmlns=\"" + NS + "\"/></soap:Body></soap:Envelope>";
        Reply r = raw(SYNC, "text/xml; charset=utf-8", "\"" + NS + "/GetAuthConfig\"", body);
        assertEquals(500, r.status());
        assertEquals(SoapVersion.SOAP_11.contentType(), r.contentType());
        assertEquals("InvalidParameters", errorCode(r));
    }

    @ParameterizedTest
    @EnumSource(SoapVersion.class)
    void anUnknownOperationGetsASoapFaultNotHtml(SoapVersion v) throws Exception {
        for (String path : List.of(SYNC, REPORTING, "/DssAuthWebService/DssAuthWebService.asmx")) {
            Reply r = post(v, path, "GetRelatedRevisionsForUpdates", "");
            assertEquals(500, r.status(), path);
            assertEquals(v.contentType(), r.contentType(), path);
            assertEquals("InvalidParameters", errorCode(r), path);
        }
        Reply wrongService = post(v, SYNC, "GetRollupConfiguration", "");
        assertEquals(500, wrongService.status());
        assertEquals("InvalidParameters", errorCode(wrongService));
    }

    @ParameterizedTest
    @EnumSource(SoapVersion.class)
    void theReportingWebServiceTakesRollupsAndAsksForNoDetail(SoapVersion v) throws Exception {
        String fixed = "<cookie><Expiration>9999-12-31T23:59:59.9999999</Expiration><EncryptedData /></cookie>";
        Reply config = post(v, REPORTING, "GetRollupConfiguration", fixed);
        assertEquals(200, config.status(), config.text());
        Shape result = config.body().all("GetRollupConfigurationResult").get(0);
        assertEquals(List.of("DoDetailedRollup", "RollupResetGuid", "ServerId", "RollupDownstreamServersMaxBatchSize",
                "RollupComputersMaxBatchSize", "GetOutOfSyncComputersMaxBatchSize", "RollupComputerStatusMaxBatchSize"),
                result.children().stream().map(Shape::name).toList());
        assertEquals("false", result.child("DoDetailedRollup").text());
        assertEquals("5000", result.child("RollupDownstreamServersMaxBatchSize").text());

        Reply servers = post(v, "//ReportingWebService/ReportingWebService.asmx", "RollupDownstreamServers", fixed
                + "<clientTime>2026-10-04T16:40:00Z</clientTime><downstreamServers><DownstreamServerRollupInfo>"
                + "<ServerId>6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12</ServerId></DownstreamServerRollupInfo></downstreamServers>");
        assertEquals(200, servers.status(), servers.text());
        Shape response = servers.body().all("RollupDownstreamServersResponse").get(0);
        assertEquals(NS, response.namespace());
        assertEquals(List.of(), response.children());

        Reply computers = post(v, REPORTING, "RollupComputers", fixed + "<clientTime>2026-10-04T16:40:00Z</clientTime><computers />");
        assertEquals(200, computers.status());
        assertEquals(List.of(), computers.body().all("RollupComputersResult").get(0).children());
        Reply outOfSync = post(v, REPORTING, "GetOutOfSyncComputers", fixed
                + "<parentServerId>6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12</parentServerId><lastRollupNumbers />");
        assertEquals(200, outOfSync.status());
        assertEquals(List.of(), outOfSync.body().all("GetOutOfSyncComputersResult").get(0).children());
        Reply status = post(v, REPORTING, "RollupComputerStatus", fixed + "<clientTime>2026-10-04T16:40:00Z</clientTime>"
                + "<parentServerId>6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12</parentServerId><computers />");
        assertEquals(200, status.status());
        assertEquals("true", status.body().all("RollupComputerStatusResult").get(0).text());
    }

    @ParameterizedTest
    @EnumSource(SoapVersion.class)
    void getDeploymentsAnswersAnEmptySetWithEveryArrayPresent(SoapVersion v) throws Exception {
        String cookie = cookie(v);
        Reply r = post(v, SYNC, "GetDeployments", cookie + "<syncAnchor>9438,2026-10-04 16:33:26.671</syncAnchor>");
        assertEquals(200, r.status(), r.text());
        Shape result = r.body().all("GetDeploymentsResult").get(0);
        assertEquals(List.of("Anchor", "Groups", "Deployments", "DeadDeployments", "HiddenUpdates", "AcceptedEulas"),
                result.children().stream().map(Shape::name).toList());
        assertTrue(result.child("Anchor").text().matches("[0-9]+,[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]{12}"));
        Reply again = post(v, SYNC, "GetDeployments", cookie + "<deploymentAnchor>" + result.child("Anchor").text()
                + "</deploymentAnchor><syncAnchor>9438,2026-10-04 16:33:26.671</syncAnchor>");
        assertEquals(200, again.status(), again.text());

        Reply noSyncAnchor = post(v, SYNC, "GetDeployments", cookie);
        assertEquals("InvalidParameters", errorCode(noSyncAnchor));
        assertEquals("syncAnchor", noSyncAnchor.body().all("Message").get(0).text());
        Reply badDeploymentAnchor = post(v, SYNC, "GetDeployments", cookie
                + "<deploymentAnchor>garbage</deploymentAnchor><syncAnchor>9438,2026-10-04 16:33:26.671</syncAnchor>");
        assertEquals("deploymentAnchor", badDeploymentAnchor.body().all("Message").get(0).text());
        assertEquals("InvalidCookie", errorCode(post(v, SYNC, "GetDeployments",
                "<syncAnchor>9438,2026-10-04 16:33:26.671</syncAnchor>")));
    }

    @ParameterizedTest
    @EnumSource(SoapVersion.class)
    void getDeploymentsAnswersTheStoredApprovalsInTheSpecificationsShape(SoapVersion v) throws Exception {
        String ring = "5b0f7a47-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
        Instant approvedAt = Instant.parse("2026-11-29T09:00:00.125Z");
        List<TargetGroup> groups = List.of(
                new TargetGroup(TargetGroup.ALL_COMPUTERS, "All Computers", null, true),
                new TargetGroup(TargetGroup.UNASSIGNED_COMPUTERS, "Unassigned Computers", TargetGroup.ALL_COMPUTERS, true),
                new TargetGroup(ring, "Ring 1", TargetGroup.ALL_COMPUTERS, false));
        Approval install = new Approval(LEAF.updateId(), 200, "t", "2267602", ring, "Ring 1", Approval.INSTALL,
                Instant.parse("2026-12-01T18:00:00Z"), approvedAt, "local", null, 3, "0c5e0a8e-4f3b-4c6a-9f0e-3d2b1a0f9e8d");
        Approval uninstall = new Approval("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe", 200, "t", null,
                TargetGroup.ALL_COMPUTERS, "All Computers", Approval.UNINSTALL, null, approvedAt, "rule", "r", 4,
                "1d6f1b9f-5a4c-4d7b-8a1f-4e3c2b1a0f9e");
        catalog.deployments(new DeploymentChanges(5, groups, List.of(install, uninstall),
                List.of("2e7a2cae-6b5d-4e8c-9b2a-5f4d3c2b1a0f"), List.of("dd78b8a1-0b20-45c1-add6-4da72e9364cf")));
        try {
            String cookie = cookie(v);
            String sync = "<syncAnchor>9438,2026-10-04 16:33:26.671</syncAnchor>";
            Shape result = post(v, SYNC, "GetDeployments", cookie + sync).body().all("GetDeploymentsResult").get(0);
            assertTrue(result.child("Anchor").text().startsWith("5,"), result.child("Anchor").text());
            List<Shape> g = result.child("Groups").children();
            assertEquals(3, g.size());
            assertEquals(List.of("TargetGroupID", "ParentGroupId", "Name", "IsBuiltin"),
                    g.get(0).children().stream().map(Shape::name).toList());
            assertEquals("00000000-0000-0000-0000-000000000000", g.get(0).child("ParentGroupId").text());
            assertEquals("All Computers", g.get(0).child("Name").text());
            assertEquals("true", g.get(1).child("IsBuiltin").text());
            assertEquals("false", g.get(2).child("IsBuiltin").text());
            List<Shape> d = result.child("Deployments").children();
            assertEquals(List.of("ServerSyncDeployment", "ServerSyncDeployment"), d.stream().map(Shape::name).toList());
            assertEquals(List.of("UpdateId", "RevisionNumber", "Action", "AdminName", "Deadline", "IsAssigned",
                    "GoLiveTime", "DeploymentGuid", "TargetGroupId", "DownloadPriority"),
                    d.get(0).children().stream().map(Shape::name).toList(), "ServerSyncDeployment in schema order");
            assertEquals(LEAF.updateId(), d.get(0).child("UpdateId").text());
            assertEquals("0", d.get(0).child("Action").text());
            assertEquals("2026-12-01T18:00:00.000", d.get(0).child("Deadline").text());
            assertEquals("2026-11-29T09:00:00.125", d.get(0).child("GoLiveTime").text());
            assertEquals(ring, d.get(0).child("TargetGroupId").text());
            assertEquals("1", d.get(1).child("Action").text());
            assertEquals("WUS Server", d.get(1).child("AdminName").text(), "a rule's approval, as WSUS names them");
            assertEquals("9999-12-31T23:59:59.9999999", d.get(1).child("Deadline").text());
            assertEquals(List.of("2e7a2cae-6b5d-4e8c-9b2a-5f4d3c2b1a0f"),
                    result.child("DeadDeployments").children().stream().map(Shape::text).toList());
            assertEquals(List.of("guid"), result.child("HiddenUpdates").children().stream().map(Shape::name).toList());
            assertEquals(List.of(), result.child("AcceptedEulas").children());

            Shape again = post(v, SYNC, "GetDeployments", cookie + "<deploymentAnchor>" + result.child("Anchor").text()
                    + "</deploymentAnchor>" + sync).body().all("GetDeploymentsResult").get(0);
            assertEquals(List.of(), again.child("Deployments").children(), "nothing new since that anchor");
            assertEquals(3, again.child("Groups").children().size(), "the groups are always whole");
            assertEquals(1, again.child("HiddenUpdates").children().size(), "hidden updates are always whole");
            Shape foreign = post(v, SYNC, "GetDeployments", cookie + "<deploymentAnchor>9999,2026-10-04 16:33:26.671"
                    + "</deploymentAnchor>" + sync).body().all("GetDeploymentsResult").get(0);
            assertEquals(2, foreign.child("Deployments").children().size(), "another server's anchor: everything");
        } finally {
            catalog.deployments(null);
        }
    }

    @ParameterizedTest
    @EnumSource(SoapVersion.class)
    void downloadFilesIsAcceptedAndValidated(SoapVersion v) throws Exception {
        String cookie = cookie(v);
        Reply ok = post(v, SYNC, "DownloadFiles", cookie + "<fileDigestList><base64Binary>" + LEAF_DIGEST
                + "</base64Binary></fileDigestList>");
        assertEquals(200, ok.status(), ok.text());
        assertEquals(List.of(), ok.body().all("DownloadFilesResponse").get(0).children());

        String digest = "<base64Binary>" + LEAF_DIGEST + "</base64Binary>";
        Reply tooMany = post(v, SYNC, "DownloadFiles", cookie + "<fileDigestList>"
                + String.join("", Collections.nCopies(101, digest)) + "</fileDigestList>");
        assertEquals("InvalidParameters", errorCode(tooMany));
        assertEquals("fileDigestList", tooMany.body().all("Message").get(0).text());
        Reply notSha1 = post(v, SYNC, "DownloadFiles", cookie + "<fileDigestList><base64Binary>AAAA</base64Binary></fileDigestList>");
        assertEquals("InvalidParameters", errorCode(notSha1));
        Reply none = post(v, SYNC, "DownloadFiles", cookie + "<fileDigestList />");
        assertEquals("InvalidParameters", errorCode(none));
    }

    @ParameterizedTest
    @EnumSource(SoapVersion.class)
    void pingIsAnsweredAndIgnored(SoapVersion v) throws Exception {
        Reply r = post(v, SYNC, "Ping", "");
        assertEquals(200, r.status(), r.text());
        assertEquals("PingResponse", r.body().child("Body").children().get(0).name());
    }

    @Test
    void getConfigDataTellsTheTruthAboutTheContent() throws Exception {
        String cookie = cookie(SoapVersion.SOAP_11);
        try {
            catalog.coverage(UpdateCatalog.ContentCoverage.NONE);
            Shape none = post(SoapVersion.SOAP_11, SYNC, "GetConfigData", cookie).body();
            assertEquals("true", none.all("CatalogOnlySync").get(0).text(), "metadata only: take files from MUUrl");
            assertEquals("true", none.all("LazySync").get(0).text());
            catalog.coverage(UpdateCatalog.ContentCoverage.SOME);
            Shape some = post(SoapVersion.SOAP_11, SYNC, "GetConfigData", cookie).body();
            assertEquals("false", some.all("CatalogOnlySync").get(0).text());
            assertEquals("true", some.all("LazySync").get(0).text(), "some files: download only what is approved");
            catalog.coverage(UpdateCatalog.ContentCoverage.ALL);
            Shape all = post(SoapVersion.SOAP_11, SYNC, "GetConfigData", cookie).body();
            assertEquals("false", all.all("CatalogOnlySync").get(0).text());
            assertEquals("false", all.all("LazySync").get(0).text());
            assertEquals("100", all.all("MaxNumberOfUpdatesPerRequest").get(0).text());
        } finally {
            catalog.coverage(UpdateCatalog.ContentCoverage.ALL);
        }
    }

    @Test
    void theLanguageListIsLeftOutOnlyForThisServersOwnConfigAnchor() throws Exception {
        String cookie = cookie(SoapVersion.SOAP_11);
        Shape full = post(SoapVersion.SOAP_11, SYNC, "GetConfigData", cookie).body();
        List<Shape> languages = full.all("ServerSyncLanguageData");
        assertEquals(39, languages.size());
        assertEquals("all", languages.get(0).child("ShortLanguage").text());
        assertEquals(List.of("en"), languages.stream().filter(l -> l.child("Enabled").text().equals("true"))
                .map(l -> l.child("ShortLanguage").text()).toList(), "Enabled as the recorded server sets it");
        String anchor = full.all("NewConfigAnchor").get(0).text();
        Shape unchanged = post(SoapVersion.SOAP_11, SYNC, "GetConfigData", cookie + "<configAnchor>" + anchor
                + "</configAnchor>").body();
        assertEquals(List.of(), unchanged.all("LanguageUpdateList").get(0).children());
        Shape foreign = post(SoapVersion.SOAP_11, SYNC, "GetConfigData", cookie
                + "<configAnchor>9438,2026-10-04 16:09:27.167</configAnchor>").body();
        assertEquals(39, foreign.all("ServerSyncLanguageData").size(), "another server's anchor: the full list");
    }

    @Test
    void getUpdateDataListsEveryFileWithUrlsForWhatIsHeld() throws Exception {
        String sha1Held = Base64.getEncoder().encodeToString(new byte[20]);
        try {
            catalog.files(LEAF, List.of(
                    new UpdateCatalog.CatalogFile(LEAF_DIGEST, "AM_Delta.exe", 11606440, "", false),
                    new UpdateCatalog.CatalogFile(sha1Held, "held.cab", 10, "", true)));
            Reply r = post(SoapVersion.SOAP_11, SYNC, "GetUpdateData", cookie(SoapVersion.SOAP_11)
                    + "<updateIds><UpdateIdentity><UpdateID>" + LEAF.updateId() + "</UpdateID><RevisionNumber>200"
                    + "</RevisionNumber></UpdateIdentity></updateIds>");
            assertEquals(200, r.status(), r.text());
            assertEquals(List.of(LEAF_DIGEST, sha1Held), r.body().all("base64Binary").stream().map(Shape::text).toList());
            List<Shape> urls = r.body().all("ServerSyncUrlData");
            assertEquals(2, urls.size());
            for (Shape u : urls) {
                assertEquals(List.of("FileDigest", "MUUrl", "UssUrl"), u.children().stream().map(Shape::name).toList());
            }
            assertEquals("", urls.get(0).child("UssUrl").text(), "a file not held has no UssUrl");
            String uss = urls.get(1).child("UssUrl").text();
            assertTrue(uss.startsWith("http://127.0.0.1:" + server.uri().getPort() + "/Content/00/"), uss);
            assertEquals(uss, urls.get(1).child("MUUrl").text(), "no known MU URL: this server's URL");
        } finally {
            catalog.files(LEAF, List.of(new UpdateCatalog.CatalogFile(LEAF_DIGEST, "AM_Delta.exe", 11606440,
                    "http://download.windowsupdate.com/am_delta.exe")));
        }
    }

}
