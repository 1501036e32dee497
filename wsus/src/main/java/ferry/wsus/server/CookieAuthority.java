package ferry.wsus.server;

import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.internal.SealedText;
import ferry.wsus.soap.Soap;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Issues and checks the opaque cookies of MS-WSUSSS 2.2.4.7 (CookieData) and 2.2.4.8 (EncryptedData). Each is
 * {@code payload || HMAC-SHA256(key, payload)} in base64, with a key drawn at random per server instance: only
 * this instance can mint valid cookies, and a restart invalidates old ones (the downstream server then re-runs
 * authorization, 2.2.9.3). The payload is {@code kind|expiryEpochMillis|accountGuid|protocolVersion}; nothing
 * in it is secret.
 */
final class CookieAuthority {

    private static final int MAX_COOKIE_CHARS = 2048;

    private final SealedText sealer;
    private final Clock clock;
    private final Duration authorizationLifetime;
    private final Duration cookieLifetime;

    CookieAuthority(Clock clock, Duration authorizationLifetime, Duration cookieLifetime) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.sealer = new SealedText(key);
        this.clock = clock;
        this.authorizationLifetime = authorizationLifetime;
        this.cookieLifetime = cookieLifetime;
    }

    /** A DssTargeting authorization cookie for the DSS {@code accountGuid}. */
    AuthorizationCookie issueAuthorization(String accountGuid) {
        Instant expiry = clock.instant().plus(authorizationLifetime);
        return new AuthorizationCookie(Soap.PLUGIN_DSS_TARGETING, seal("auth|" + expiry.toEpochMilli() + "|" + accountGuid + "|"));
    }

    /** The account GUID of a valid, unexpired authorization cookie. */
    Optional<String> checkAuthorization(AuthorizationCookie cookie) {
        if (cookie == null || !Soap.PLUGIN_DSS_TARGETING.equals(cookie.plugInId())) {
            return Optional.empty();
        }
        return open(cookie.cookieData(), "auth").map(fields -> fields[2]);
    }

    /** A server sync cookie (GetCookie, 3.1.4.3). */
    Cookie issueCookie(String accountGuid, String protocolVersion) {
        Instant expiry = clock.instant().plus(cookieLifetime).truncatedTo(ChronoUnit.MILLIS);
        return new Cookie(expiry.toString(), seal("sync|" + expiry.toEpochMilli() + "|" + accountGuid + "|" + protocolVersion));
    }

    /** True for a cookie this instance issued that has not expired. */
    boolean checkCookie(Cookie cookie) {
        return cookie != null && open(cookie.encryptedData(), "sync").isPresent();
    }

    private String seal(String payload) {
        return sealer.seal(payload);
    }

    private Optional<String[]> open(String data, String kind) {
        Optional<String> payload = sealer.open(data, MAX_COOKIE_CHARS);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        String[] fields = payload.get().split("\\|", -1);
        if (fields.length != 4 || !kind.equals(fields[0])) {
            return Optional.empty();
        }
        try {
            if (clock.millis() > Long.parseLong(fields[1])) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(fields);
    }
}
