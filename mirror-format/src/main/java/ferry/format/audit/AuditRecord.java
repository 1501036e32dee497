package ferry.format.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of an audit log: what one run of a ferry command did, on the connected side (export) or the isolated
 * side (import, verify, ...). Immutable; the {@code with...} methods return a copy.
 *
 * @param time         when the run ended (UTC, written as ISO-8601 with milliseconds)
 * @param user         the operating-system user who ran it ({@code user.name})
 * @param command      the command, e.g. {@code "export"}, {@code "import"}, {@code "store check"}
 * @param commandLine  its arguments after the command name, with secrets already redacted ({@link #redact})
 * @param bundleId     the bundle the run wrote or read (UUID, lower case), or null
 * @param channel      its channel, or null
 * @param sequence     its sequence number on the channel, or null
 * @param signers      fingerprints (40 or 64 upper-case hex) of the keys that signed it, or that were accepted
 * @param result       {@link #OK}, {@link #NOTHING_NEW}, {@link #REFUSED}, {@link #INVALID} or {@link #FAILED}
 * @param exitCode     the process exit code the run ended with
 * @param reason       one line: why it failed or was refused, or what it did; may be null
 * @param overrides    the options that weakened or bypassed a check, as given: e.g. {@code "--allow-expired"},
 *                     {@code "--force"}, {@code "--channel-reset"}
 */
public record AuditRecord(
        Instant time,
        String user,
        String command,
        List<String> commandLine,
        String bundleId,
        String channel,
        Long sequence,
        List<String> signers,
        String result,
        int exitCode,
        String reason,
        List<String> overrides) {

    /** The run did what it was asked. */
    public static final String OK = "ok";
    /** An export found nothing new upstream and wrote no bundle. */
    public static final String NOTHING_NEW = "nothing-new";
    /** A trusted bundle was refused (replay, missing base, expired, ...): nothing changed. */
    public static final String REFUSED = "refused";
    /** A bundle failed verification. */
    public static final String INVALID = "invalid";
    /** Any other failure (usage error, upstream error, lock, disk space, bug). */
    public static final String FAILED = "failed";

    private static final String REDACTED = "***";

    public AuditRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(result, "result");
        user = user == null ? "" : user;
        commandLine = commandLine == null ? List.of() : List.copyOf(commandLine);
        signers = signers == null ? List.of() : List.copyOf(signers);
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
    }

    /**
     * A record of a run of {@code command} by the current operating-system user, now, with result {@link #OK} and
     * exit code 0 until told otherwise; {@code args} are redacted here.
     */
    public static AuditRecord start(String command, List<String> args) {
        return new AuditRecord(Instant.now(), System.getProperty("user.name", ""), command, redact(args),
                null, null, null, List.of(), OK, 0, null, List.of());
    }

    /** The bundle the run is about; any argument may be null. */
    public AuditRecord withBundle(String bundleId, String channel, Long sequence) {
        return new AuditRecord(time, user, command, commandLine, bundleId, channel, sequence, signers, result, exitCode,
                reason, overrides);
    }

    /** The signers' fingerprints. */
    public AuditRecord withSigners(List<String> fingerprints) {
        return new AuditRecord(time, user, command, commandLine, bundleId, channel, sequence, fingerprints, result,
                exitCode, reason, overrides);
    }

    /** How the run ended. */
    public AuditRecord withResult(String result, int exitCode, String reason) {
        return new AuditRecord(time, user, command, commandLine, bundleId, channel, sequence, signers, result, exitCode,
                reason, overrides);
    }

    /** One more override used (kept once, in order). */
    public AuditRecord withOverride(String override) {
        if (overrides.contains(override)) {
            return this;
        }
        List<String> o = new ArrayList<>(overrides);
        o.add(override);
        return new AuditRecord(time, user, command, commandLine, bundleId, channel, sequence, signers, result, exitCode,
                reason, o);
    }

    /** The same record at another time (the end of the run). */
    public AuditRecord at(Instant when) {
        return new AuditRecord(when, user, command, commandLine, bundleId, channel, sequence, signers, result, exitCode,
                reason, overrides);
    }

    /**
     * The arguments with secrets replaced by {@code ***}: the value of any option whose name contains
     * {@code password}, {@code secret} or {@code token} (as {@code --opt VALUE} or {@code --opt=VALUE}), and the
     * user information of any URL ({@code http://user:pass@host/} becomes {@code http://***@host/}). A passphrase
     * never is an argument ({@code --passphrase-file} and {@code --passphrase-env} name where it is, not what).
     */
    public static List<String> redact(List<String> args) {
        if (args == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(args.size());
        boolean hideNext = false;
        for (String a : args) {
            if (a == null) {
                continue;
            }
            if (hideNext) {
                out.add(REDACTED);
                hideNext = false;
                continue;
            }
            if (a.startsWith("-") && isSecretOption(a)) {
                int eq = a.indexOf('=');
                if (eq >= 0) {
                    out.add(a.substring(0, eq + 1) + REDACTED);
                } else {
                    out.add(a);
                    hideNext = true;
                }
                continue;
            }
            out.add(redactUserInfo(a));
        }
        return out;
    }

    private static boolean isSecretOption(String arg) {
        int eq = arg.indexOf('=');
        String name = (eq >= 0 ? arg.substring(0, eq) : arg).toLowerCase(java.util.Locale.ROOT);
        return name.contains("password") || name.contains("secret") || name.contains("token");
    }

    private static String redactUserInfo(String arg) {
        int scheme = arg.indexOf("://");
        if (scheme < 0) {
            return arg;
        }
        int hostStart = scheme + 3;
        int end = hostStart;
        while (end < arg.length() && "/?#".indexOf(arg.charAt(end)) < 0) {
            end++;
        }
        int at = arg.lastIndexOf('@', end - 1);
        if (at < hostStart) {
            return arg;
        }
        return arg.substring(0, hostStart) + REDACTED + arg.substring(at);
    }
}
