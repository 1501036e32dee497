package ferry.wsus.client;

import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.IdAndDelta;
import ferry.wsus.soap.Messages.RevisionIdList;
import ferry.wsus.soap.SoapFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a loopback server replaying the recorded Windows Server 2025 WSUS answers. */
class WsusClientReplayTest {

    private static final String DEFENDER = "8c3fcc84-7410-4a95-8b89-a166a0190486";
    private static final String DEFINITION_UPDATES = "e0789628-ce08-4437-be74-2495b842f43b";
    private static final String RECORDED_ANCHOR = "9438,2026-10-04 16:09:27.371";

    private ReplayServer replay;
    private WsusClient client;

    @BeforeEach
    void start() throws Exception {
        replay = new ReplayServer();
        client = new WsusClient(replay.uri(), WsusClientOptions.defaults()
                .withAccount("probe.lab.invalid", "6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12")
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withRetry(RetryPolicy.DEFAULT.with(2, Duration.ofMillis(10))));
    }

    @AfterEach
    void stop() throws Exception {
        replay.close();
    }

    @Test
    void fullSessionAgainstRecordedServer() throws Exception {
        ServerSyncSession session = client.open();
        assertEquals(List.of(
                "GetAuthConfig /ServerSyncWebService/ServerSyncWebService.asmx",
                "GetAuthorizationCookie /DssAuthWebService/DssAuthWebService.asmx",
                "GetCookie /ServerSyncWebService/ServerSyncWebService.asmx",
                "GetConfigData /ServerSyncWebService/ServerSyncWebService.asmx"), replay.calls,
                "relative ServiceUrl resolved under the upstream base");
        assertEquals(100, session.config().maxNumberOfUpdatesPerRequest());
        assertTrue(session.config().lazySync());
        assertFalse(session.config().catalogOnlySync());
        assertEquals("9438,2026-10-04 16:33:26.670", session.config().newConfigAnchor());

        RevisionIdList config = session.getRevisionIdList(true, RevisionFilter.everything());
        assertEquals(30, config.newRevisions().size());
        assertEquals("9438,2026-10-04 16:33:26.671", config.anchor());

        RevisionIdList updates = session.getRevisionIdList(false,
                RevisionFilter.full(List.of(DEFENDER), List.of(DEFINITION_UPDATES)));
        assertEquals(30, updates.newRevisions().size());
        assertEquals(new UpdateIdentity("8c55755c-2b9d-48cc-be8b-aedbf20911ec", 201), updates.newRevisions().get(0));

        List<UpdateIdentity> ids = List.of(
                new UpdateIdentity("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe", 200),
                new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 200),
                new UpdateIdentity("ccb78947-6453-4ecc-9de8-bc0305c98f2d", 200),
                new UpdateIdentity("56309036-4c77-4dd9-951a-99ee9c246a94", 101));
        // the replay answers one revision per call, so ask one at a time
        for (UpdateIdentity id : ids) {
            List<SyncedUpdate> got = session.getUpdateData(List.of(id));
            assertEquals(1, got.size());
            assertEquals(id, got.get(0).identity());
            assertEquals(Fixtures.doc(id.toString()), got.get(0).xml(), "decoded exactly: " + id);
        }
        SyncedUpdate leaf = session.getUpdateData(List.of(ids.get(1))).get(0);
        assertEquals(List.of("h/W9BGlYUAaqXTp30cZi/SiV3c0="), leaf.fileDigests());
        assertEquals(1, leaf.fileUrls().size());
        assertTrue(leaf.fileUrls().get(0).muUrl().endsWith("am_delta_87f5bd0469585006aa5d3a77d1c662fd2895ddcd.exe"));
        assertEquals(null, leaf.fileUrls().get(0).ussUrl());
        assertEquals(URI.create(replay.uri() + "Content/CD/87F5BD0469585006AA5D3A77D1C662FD2895DDCD.exe"),
                session.contentUri("h/W9BGlYUAaqXTp30cZi/SiV3c0=", "AM_Delta.exe"));
    }

    @Test
    void deltaFlagsFollowTheRecordedRequestForm() throws Exception {
        ServerSyncSession session = client.open();
        RevisionIdList again = session.getRevisionIdList(false, RevisionFilter.incremental(RECORDED_ANCHOR,
                List.of(DEFENDER), List.of(DEFINITION_UPDATES), Set.of(DEFENDER, DEFINITION_UPDATES)));
        assertEquals(30, again.newRevisions().size(), "Delta=false: everything again (exchange 000010)");
        RevisionFilter incremental = RevisionFilter.incremental(RECORDED_ANCHOR, List.of(DEFENDER),
                List.of(DEFINITION_UPDATES), Set.of());
        assertEquals(List.of(new IdAndDelta(DEFENDER, true)), incremental.products());
        assertEquals(0, session.getRevisionIdList(false, incremental).newRevisions().size(),
                "Delta=true: nothing new (exchange 000011)");
        assertEquals(0, session.getRevisionIdList(false, RevisionFilter.since(RECORDED_ANCHOR)).newRevisions().size(),
                "exchange 000012");
    }

    @Test
    void faultsMapToWsusFaultException() throws Exception {
        ServerSyncSession session = client.open();
        WsusFaultException unknown = assertThrows(WsusFaultException.class,
                () -> session.getUpdateData(List.of(new UpdateIdentity("00000000-0000-0000-0000-000000000001", 1))));
        assertEquals(SoapFault.INTERNAL_SERVER_ERROR, unknown.errorCode());
        assertEquals("GetUpdateData", unknown.operation());
        assertTrue(unknown.getMessage().startsWith("upstream " + replay.uri() + " GetUpdateData: fault InternalServerError"),
                unknown.getMessage());

        WsusFaultException badAnchor = assertThrows(WsusFaultException.class,
                () -> session.getRevisionIdList(false, RevisionFilter.since("garbage")));
        assertEquals(SoapFault.INVALID_PARAMETERS, badAnchor.errorCode());
        assertEquals("filter", badAnchor.faultMessage());
        assertEquals("soap:Client", badAnchor.fault().faultCode());
    }

    @Test
    void invalidCookieIsReacquiredOnceThenGivenUp() throws Exception {
        ServerSyncSession session = client.open();
        replay.calls.clear();
        replay.invalidCookies.set(1);
        assertEquals(30, session.getRevisionIdList(true, RevisionFilter.everything()).newRevisions().size());
        assertEquals(List.of("GetRevisionIdList", "GetAuthConfig", "GetAuthorizationCookie", "GetCookie", "GetRevisionIdList"),
                replay.calls.stream().map(c -> c.split(" ")[0]).toList());

        replay.invalidCookies.set(2);
        WsusFaultException e = assertThrows(WsusFaultException.class,
                () -> session.getRevisionIdList(true, RevisionFilter.everything()));
        assertEquals(SoapFault.INVALID_COOKIE, e.errorCode());
    }

    @Test
    void transportProblemsAreUpstreamExceptionsNamingUrlAndOperation() throws Exception {
        replay.forcedStatus = 503;
        UpstreamException http = assertThrows(UpstreamException.class, () -> client.open());
        assertEquals("upstream " + replay.uri() + " GetAuthConfig: HTTP 503 from /ServerSyncWebService/ServerSyncWebService.asmx"
                + " (after 2 attempts)",
                http.getMessage());

        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        WsusClient nowhere = new WsusClient(URI.create("http://127.0.0.1:" + freePort), client.options());
        UpstreamException refused = assertThrows(UpstreamException.class, nowhere::open);
        assertTrue(refused.getMessage().startsWith("upstream http://127.0.0.1:" + freePort + "/ GetAuthConfig: "),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
    }

    @Test
    void oversizedResponsesAreRefused() throws Exception {
        replay.forcedStatus = 0;
        WsusClient tight = new WsusClient(replay.uri(), client.options().withMaxResponseBytes(2048));
        UpstreamException e = assertThrows(UpstreamException.class, tight::open);
        assertTrue(e.getMessage().contains("GetConfigData") && e.getMessage().contains("exceeds 2048 bytes"), e.getMessage());
    }
}
