package ferry.wsus.wusp;

import ferry.wsus.internal.SealedText;
import ferry.wsus.soap.Messages.Cookie;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Issues and checks the cookies of MS-WUSP: the SimpleTargeting authorization cookie (GetAuthorizationCookie,
 * 2.2.2.1.1) and the client cookie (GetCookie 2.2.2.2.2, renewed by SyncUpdates and GetFileLocations). Each opaque
 * part is {@code payload || HMAC-SHA256(key, payload)} in base64; the payload names the client, when the cookie
 * expires, the server's configuration version and the server's identity, so a check can tell the client which of
 * the spec's recoveries it needs (2.2.2.4): {@link Check#EXPIRED} (CookieExpired: renew), {@link Check#CONFIG_CHANGED}
 * (ConfigChanged: GetConfig again), {@link Check#SERVER_CHANGED} (ServerChanged: start over) or
 * {@link Check#INVALID} (InvalidCookie). Nothing in a cookie is secret; the key only makes it unforgeable, and a
 * key kept with the store keeps cookies valid across restarts.
 */
public final class ClientCookies {
    /** The recorded server's client cookie lived one hour. */
    public static final Duration COOKIE_LIFETIME = Duration.ofHours(1);
    /** SimpleTargeting authorization cookies: long enough for the handshake that follows. */
    public static final Duration AUTHORIZATION_LIFETIME = Duration.ofHours(1);
    /** The plug-in id of MS-WUSP's simple targeting authorization. */
    public static final String SIMPLE_TARGETING = "SimpleTargeting";

    private static final int MAX_COOKIE_CHARS = 4096;

    /** What a presented cookie is. */
    public enum Check { VALID, EXPIRED, CONFIG_CHANGED, SERVER_CHANGED, INVALID }

    /** A checked cookie: the verdict, and for a genuine one, the client it was issued to. */
    public record Checked(Check check, String clientId, String protocolVersion) {
    }

    private final SealedText sealer;
    private final Clock clock;
    private final String serverId;

    /**
     * @param key      at least 32 bytes; the same key in every run of one store keeps cookies valid across restarts
     * @param serverId the store's id: a cookie of another store is {@link Check#SERVER_CHANGED}
     */
    public ClientCookies(byte[] key, Clock clock, String serverId) {
        if (serverId.contains("|")) {
            throw new IllegalArgumentException("server id must not contain '|'");
        }
        this.sealer = new SealedText(key);
        this.clock = clock;
        this.serverId = serverId;
    }

    /** CookieData of a SimpleTargeting authorization cookie for {@code clientId} (a lower-case GUID). */
    public String issueAuthorization(String clientId) {
        Instant expiry = clock.instant().plus(AUTHORIZATION_LIFETIME);
        return seal("auth|" + expiry.toEpochMilli() + "|" + clientId + "||0|" + serverId);
    }

    /** The client id of a genuine, unexpired authorization cookie of this server, or null. */
    public String checkAuthorization(String plugInId, String cookieData) {
        if (!SIMPLE_TARGETING.equals(plugInId)) {
            return null;
        }
        Checked c = open(cookieData, "auth", 0);
        return c.check() == Check.VALID ? c.clientId() : null;
    }

    /**
     * A client cookie, expiring {@link #COOKIE_LIFETIME} from now (Expiration in UTC, to the millisecond).
     *
     * @param configVersion the version of the configuration now (ferry: GetConfig's LastChange in epoch milliseconds);
     *                      once it changes the cookie is CONFIG_CHANGED
     */
    public Cookie issue(String clientId, String protocolVersion, long configVersion) {
        if (clientId.contains("|") || protocolVersion != null && protocolVersion.contains("|")) {
            throw new IllegalArgumentException("'|' in a cookie field");
        }
        Instant expiry = clock.instant().plus(COOKIE_LIFETIME).truncatedTo(ChronoUnit.MILLIS);
        return new Cookie(expiry.toString(), seal("client|" + expiry.toEpochMilli() + "|" + clientId + "|"
                + (protocolVersion == null ? "" : protocolVersion) + "|" + configVersion + "|" + serverId));
    }

    /** Checks a client cookie against the configuration version now. */
    public Checked check(Cookie cookie, long configVersion) {
        if (cookie == null) {
            return new Checked(Check.INVALID, null, null);
        }
        return open(cookie.encryptedData(), "client", configVersion);
    }

    private Checked open(String data, String kind, long configVersion) {
        Checked invalid = new Checked(Check.INVALID, null, null);
        // not ours (another server's, or a key since replaced): either way the client must start over
        String payload = sealer.open(data, MAX_COOKIE_CHARS).orElse(null);
        if (payload == null) {
            // Sealed with another key: a cookie naming another server in our format is that server's (a store
            // rebuilt, or another ferry), whose revision ids mean nothing here: the client must start over.
            String claimed = SealedText.unverified(data, MAX_COOKIE_CHARS).orElse("");
            String[] f = claimed.split("\\|", -1);
            return f.length == 6 && kind.equals(f[0]) && !f[5].isEmpty() && !serverId.equals(f[5])
                    ? new Checked(Check.SERVER_CHANGED, null, null) : invalid;
        }
        String[] f = payload.split("\\|", -1);
        if (f.length != 6 || !kind.equals(f[0])) {
            return invalid;
        }
        try {
            if (!serverId.equals(f[5])) {
                return new Checked(Check.SERVER_CHANGED, f[2], f[3]);
            }
            if (clock.millis() > Long.parseLong(f[1])) {
                return new Checked(Check.EXPIRED, f[2], f[3]);
            }
            if (kind.equals("client") && Long.parseLong(f[4]) != configVersion) {
                return new Checked(Check.CONFIG_CHANGED, f[2], f[3]);
            }
        } catch (NumberFormatException e) {
            return invalid;
        }
        return new Checked(Check.VALID, f[2], f[3].isEmpty() ? null : f[3]);
    }

    private String seal(String payload) {
        return sealer.seal(payload);
    }
}
