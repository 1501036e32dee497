package ferry.wsus.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * How often and how long to retry a request that failed for a reason that may pass: a timeout, a reset or refused
 * connection, HTTP 408, 429 or 5xx (except a 500 carrying a SOAP fault, which is an answer). The wait before attempt
 * {@code n + 1} is {@code initialBackoff * 2^(n-1)}, at most {@code maxBackoff}, or what the server's
 * {@code Retry-After} asks for when it gives one; the run gives up after {@code attempts} attempts, or sooner when
 * the next wait would take the total waited past {@code maxTotalWait} (so a server asking for an hour's pause fails
 * the run at once instead of hanging it).
 *
 * @param attempts       attempts in all, 1..20 (1 = never retry)
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff     longest single wait of the doubling (a Retry-After may ask for more, within the total)
 * @param maxTotalWait   longest total wait across the retries of one request
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotalWait) {

    /** 4 attempts, 2 s doubling up to 60 s, at most 5 minutes of waiting per request. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofSeconds(2), Duration.ofSeconds(60),
            Duration.ofMinutes(5));

    /** Never retry. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /** @throws IllegalArgumentException for attempts outside 1..20 or a negative duration */
    public RetryPolicy {
        if (attempts < 1 || attempts > 20) {
            throw new IllegalArgumentException("retry attempts must be 1..20: " + attempts);
        }
        for (Duration d : new Duration[]{initialBackoff, maxBackoff, maxTotalWait}) {
            if (Objects.requireNonNull(d, "retry durations").isNegative()) {
                throw new IllegalArgumentException("retry durations must not be negative: " + d);
            }
        }
    }

    /** The same policy with another number of attempts and initial backoff. */
    public RetryPolicy with(int attempts, Duration initialBackoff) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, maxTotalWait);
    }

    /**
     * The wait before the next attempt, or null when the request must not be tried again.
     *
     * @param failedAttempt the attempt that just failed, from 1
     * @param retryAfter    what the server's Retry-After asked for, or null
     * @param waitedSoFar   total already waited for this request
     */
    public Duration nextWait(int failedAttempt, Duration retryAfter, Duration waitedSoFar) {
        if (failedAttempt >= attempts) {
            return null;
        }
        Duration wait;
        if (retryAfter != null) {
            wait = retryAfter;
        } else {
            wait = initialBackoff.multipliedBy(1L << Math.min(30, failedAttempt - 1));
            if (wait.compareTo(maxBackoff) > 0) {
                wait = maxBackoff;
            }
        }
        return waitedSoFar.plus(wait).compareTo(maxTotalWait) > 0 ? null : wait;
    }

    /**
     * Reads a {@code Retry-After} header (RFC 9110 10.2.3): delay-seconds, or an HTTP date.
     *
     * @param value the header, or null
     * @param now   the current time, for a date
     * @return the delay (zero for a date already past), or null when absent or unreadable
     */
    public static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return null; // more seconds than a long holds: unreadable, not a reason to wait for ever
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
