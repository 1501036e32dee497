package ferry.wsus.server;

import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.Cookie;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CookieAuthorityTest {

    private static final String GUID = "6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12";

    @Test
    void issuedCookiesValidateAndExpire() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        CookieAuthority a = new CookieAuthority(clock, Duration.ofMinutes(60), Duration.ofMinutes(240));
        AuthorizationCookie auth = a.issueAuthorization(GUID);
        assertEquals("DssTargeting", auth.plugInId());
        assertEquals(GUID, a.checkAuthorization(auth).orElseThrow());
        Cookie c = a.issueCookie(GUID, "1.20");
        assertEquals("2026-11-21T14:00:00Z", c.expiration());
        assertTrue(a.checkCookie(c));
        assertFalse(a.checkAuthorization(new AuthorizationCookie("DssTargeting", c.encryptedData())).isPresent(),
                "a sync cookie is not an authorization cookie");
        clock.now = Instant.parse("2026-11-21T14:00:01Z");
        assertFalse(a.checkCookie(c), "expired");
    }

    @Test
    void forgedTamperedAndForeignCookiesAreRejected() {
        Clock clock = Clock.systemUTC();
        CookieAuthority a = new CookieAuthority(clock, Duration.ofMinutes(60), Duration.ofMinutes(240));
        CookieAuthority other = new CookieAuthority(clock, Duration.ofMinutes(60), Duration.ofMinutes(240));
        Cookie c = a.issueCookie(GUID, "1.20");
        assertFalse(other.checkCookie(c), "another server instance's key");
        byte[] raw = Base64.getDecoder().decode(c.encryptedData());
        raw[6] ^= 1;
        assertFalse(a.checkCookie(new Cookie(c.expiration(), Base64.getEncoder().encodeToString(raw))));
        assertFalse(a.checkCookie(new Cookie(c.expiration(), "AAAA")));
        assertFalse(a.checkCookie(new Cookie(c.expiration(), "not base64!")));
        assertFalse(a.checkCookie(new Cookie(c.expiration(), null)));
        assertFalse(a.checkCookie(null));
        assertFalse(a.checkCookie(new Cookie(c.expiration(), "A".repeat(5000))));
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
