package ferry.wsus.wusp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.wusp.ClientCookies.Check;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ClientCookiesTest {
    private static final String CLIENT = "e1da06a3-5601-43c9-bac3-52d5db701494";
    private static final byte[] KEY = new byte[32];
    private static final Instant NOW = Instant.parse("2026-10-04T15:03:36Z");

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    @Test
    void aCookieIsValidForAnHourThenExpired() {
        ClientCookies issuer = new ClientCookies(KEY, Clock.fixed(NOW, ZoneOffset.UTC), "store-1");
        Cookie c = issuer.issue(CLIENT, "2.90", 3);
        assertEquals("2026-10-04T16:03:36Z", c.expiration());
        ClientCookies.Checked ok = issuer.check(c, 3);
        assertEquals(new ClientCookies.Checked(Check.VALID, CLIENT, "2.90"), ok);

        ClientCookies later = new ClientCookies(KEY, Clock.fixed(NOW.plus(Duration.ofMinutes(61)), ZoneOffset.UTC), "store-1");
        assertEquals(Check.EXPIRED, later.check(c, 3).check());
        assertEquals(CLIENT, later.check(c, 3).clientId(), "an expired cookie still names its client");
    }

    @Test
    void theRecoveryTheClientNeedsIsNamed() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ClientCookies issuer = new ClientCookies(KEY, clock, "store-1");
        Cookie c = issuer.issue(CLIENT, "2.90", 3);
        assertEquals(Check.CONFIG_CHANGED, issuer.check(c, 4).check());
        assertEquals(Check.SERVER_CHANGED, new ClientCookies(KEY, clock, "store-2").check(c, 3).check());
        byte[] otherKey = KEY.clone();
        otherKey[0] = 1;
        assertEquals(Check.INVALID, new ClientCookies(otherKey, clock, "store-1").check(c, 3).check());
        // another store's server, with its own key: told apart by the store the cookie names, not trusted for more
        assertEquals(new ClientCookies.Checked(Check.SERVER_CHANGED, null, null),
                new ClientCookies(otherKey, clock, "store-2").check(c, 3));
        // a restart with the same key: still valid
        assertEquals(Check.VALID, new ClientCookies(KEY, clock, "store-1").check(c, 3).check());
    }

    @Test
    void forgedOrDamagedCookiesAreInvalid() {
        ClientCookies issuer = new ClientCookies(KEY, Clock.fixed(NOW, ZoneOffset.UTC), "store-1");
        Cookie c = issuer.issue(CLIENT, "2.90", 3);
        byte[] raw = Base64.getDecoder().decode(c.encryptedData());
        raw[10] ^= 1;
        assertEquals(Check.INVALID, issuer.check(new Cookie(c.expiration(), Base64.getEncoder().encodeToString(raw)), 3).check());
        assertEquals(Check.INVALID, issuer.check(new Cookie(c.expiration(), "not base64!"), 3).check());
        assertEquals(Check.INVALID, issuer.check(new Cookie(c.expiration(), "A".repeat(5000)), 3).check());
        assertEquals(Check.INVALID, issuer.check(new Cookie(c.expiration(), null), 3).check(), "a native oldCookie");
        assertEquals(Check.INVALID, issuer.check(null, 3).check());
        // an authorization cookie is not a client cookie, nor the reverse
        String auth = issuer.issueAuthorization(CLIENT);
        assertEquals(Check.INVALID, issuer.check(new Cookie(c.expiration(), auth), 3).check());
        assertNull(issuer.checkAuthorization(ClientCookies.SIMPLE_TARGETING, c.encryptedData()));
    }

    @Test
    void authorizationCookies() {
        ClientCookies issuer = new ClientCookies(KEY, Clock.fixed(NOW, ZoneOffset.UTC), "store-1");
        String data = issuer.issueAuthorization(CLIENT);
        assertEquals(CLIENT, issuer.checkAuthorization("SimpleTargeting", data));
        assertNull(issuer.checkAuthorization("DssTargeting", data));
        ClientCookies later = new ClientCookies(KEY, Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC), "store-1");
        assertNull(later.checkAuthorization("SimpleTargeting", data));
    }
}
