package ferry.samples;

import ferry.format.pgp.ClearSigned;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.GeneratedKey;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.KeyGenerator;
import ferry.format.pgp.SigningKey;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * The sample upstream's small APT repository, made at start-up so the demo needs no {@code dpkg-deb} and no network:
 * suite {@value #SUITE}, component {@value #COMPONENT}, architecture {@value #ARCHITECTURE}, four packages built here
 * as real {@code .deb} files (an {@code ar} archive of {@code debian-binary}, {@code control.tar.gz} and
 * {@code data.tar.gz}), {@code Packages} and {@code Packages.gz}, and a {@code Release} signed (as {@code InRelease}
 * and {@code Release.gpg}, Ed25519, SHA-256) by an upstream key generated at start-up. {@value #SELECTED} depends on
 * two of the others ({@code libcontoso1 (>= 1.2)} and the arch-all {@code contoso-common}); {@code contoso-extras}
 * stays upstream when only {@value #SELECTED} is selected. Served below {@value #PREFIX} by {@link #handler()}.
 */
public final class SampleAptRepository {
    /** The URL path the repository is served below. */
    public static final String PREFIX = "/debian/";
    /** The suite ({@code dists/<suite>/}). */
    public static final String SUITE = "demo";
    /** The one component. */
    public static final String COMPONENT = "main";
    /** The one architecture (plus {@code all}). */
    public static final String ARCHITECTURE = "amd64";
    /** The package the demo selects; its dependency closure is {@link #CLOSURE}. */
    public static final String SELECTED = "contoso-agent";
    /** {@link #SELECTED} and what it depends on, by name. */
    public static final List<String> CLOSURE = List.of("contoso-agent", "contoso-common", "libcontoso1");
    /** Every package of the repository, by name. */
    public static final List<String> PACKAGES = List.of("contoso-agent", "contoso-common", "contoso-extras",
            "libcontoso1");

    private static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** Fixed times inside the archives, so a package's bytes (and SHA-256) are the same on every start. */
    private static final long ARCHIVE_TIME_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private record Package(String name, String version, String architecture, String depends, String description,
                           int payloadBytes) {
    }

    private static final List<Package> SOURCE = List.of(
            new Package("contoso-agent", "2.1-1", "amd64", "libcontoso1 (>= 1.2), contoso-common (= 2.1-1)",
                    "Contoso management agent", 24_000),
            new Package("contoso-common", "2.1-1", "all", null, "Contoso agent shared data", 6_000),
            new Package("contoso-extras", "0.9-1", "amd64", "contoso-agent", "Contoso agent extras (not selected)",
                    12_000),
            new Package("libcontoso1", "1.4-2", "amd64", null, "Contoso runtime library", 16_000));

    private final Map<String, byte[]> files;
    private final Path keyring;

    private SampleAptRepository(Map<String, byte[]> files, Path keyring) {
        this.files = files;
        this.keyring = keyring;
    }

    /**
     * Builds the repository in memory, signs its Release with a new upstream key and writes that key's public half
     * (ASCII armor) to {@code dir/apt-upstream-key.asc}, the keyring to give {@code ferry export --upstream-keyring}.
     *
     * @param now the Release's {@code Date} (UTC); no {@code Valid-Until}
     * @throws IOException if the key cannot be written
     */
    public static SampleAptRepository create(Path dir, Instant now) throws IOException {
        GeneratedKey generated = KeyGenerator.generateEd25519("ferry demo APT upstream <apt-upstream@ferry.invalid>",
                null);
        SigningKey key;
        try {
            key = SigningKey.parse(generated.armoredSecretKey(), null);
        } catch (KeyException e) {
            throw new IllegalStateException("a key just generated cannot be read back", e);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder packages = new StringBuilder();
        for (Package p : SOURCE) {
            String control = control(p);
            byte[] deb = deb(p, control);
            String filename = "pool/" + COMPONENT + "/" + p.name().charAt(0) + "/" + p.name() + "/" + p.name() + "_"
                    + p.version() + "_" + p.architecture() + ".deb";
            files.put(filename, deb);
            if (!packages.isEmpty()) {
                packages.append('\n');
            }
            packages.append(control).append("Filename: ").append(filename).append('\n')
                    .append("Size: ").append(deb.length).append('\n')
                    .append("SHA256: ").append(sha256(deb)).append('\n');
        }
        byte[] plain = packages.toString().getBytes(StandardCharsets.UTF_8);
        String index = COMPONENT + "/binary-" + ARCHITECTURE + "/Packages";
        Map<String, byte[]> indexes = new LinkedHashMap<>();
        indexes.put(index, plain);
        indexes.put(index + ".gz", gzip(plain));
        StringBuilder release = new StringBuilder()
                .append("Origin: Contoso\nLabel: Contoso demo\nSuite: ").append(SUITE).append('\n')
                .append("Codename: ").append(SUITE).append('\n')
                .append("Date: ").append(RFC_2822.format(now.truncatedTo(ChronoUnit.SECONDS))).append('\n')
                .append("Architectures: ").append(ARCHITECTURE).append('\n')
                .append("Components: ").append(COMPONENT).append('\n')
                .append("Description: ferry demo sample APT repository\nSHA256:\n");
        for (Map.Entry<String, byte[]> e : indexes.entrySet()) {
            release.append(' ').append(sha256(e.getValue())).append(' ').append(e.getValue().length).append(' ')
                    .append(e.getKey()).append('\n');
            files.put("dists/" + SUITE + "/" + e.getKey(), e.getValue());
        }
        String text = release.toString();
        files.put("dists/" + SUITE + "/Release", text.getBytes(StandardCharsets.UTF_8));
        files.put("dists/" + SUITE + "/InRelease", ClearSigned.sign(key, text).getBytes(StandardCharsets.UTF_8));
        files.put("dists/" + SUITE + "/Release.gpg",
                DetachedSignatures.sign(key, text.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir);
        Path keyring = dir.resolve("apt-upstream-key.asc");
        Files.writeString(keyring, generated.armoredPublicKey());
        return new SampleAptRepository(Map.copyOf(files), keyring);
    }

    /** The upstream key's public half (ASCII armor), for {@code --upstream-keyring}. */
    public Path keyring() {
        return keyring;
    }

    /** Every file served, by path below {@link #PREFIX} (e.g. {@code dists/demo/InRelease}). */
    public Map<String, byte[]> files() {
        return files;
    }

    /**
     * A Jetty handler answering GET and HEAD of {@link #PREFIX}{@code <path>} with {@link #files()}; other paths
     * below {@link #PREFIX} get 404, other methods 405; paths outside it are left to the next handler.
     */
    public Handler handler() {
        return new Handler.Abstract(Invocable.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                if (path == null || !path.startsWith(PREFIX)) {
                    return false;
                }
                boolean head = HttpMethod.HEAD.is(request.getMethod());
                if (!head && !HttpMethod.GET.is(request.getMethod())) {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                    Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
                    return true;
                }
                byte[] body = files.get(path.substring(PREFIX.length()));
                if (body == null) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                    return true;
                }
                response.setStatus(HttpStatus.OK_200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
                return true;
            }
        };
    }

    private static String control(Package p) {
        return "Package: " + p.name() + "\nVersion: " + p.version() + "\nArchitecture: " + p.architecture()
                + "\nMaintainer: Contoso <packages@contoso.invalid>\nInstalled-Size: " + (p.payloadBytes() + 1023) / 1024
                + "\n" + (p.depends() == null ? "" : "Depends: " + p.depends() + "\n") + "Section: misc\nPriority: optional\n"
                + "Description: " + p.description() + "\n sample package built by ferry's sample upstream.\n";
    }

    /** A binary package as dpkg reads it: ar archive of debian-binary, control.tar.gz, data.tar.gz. */
    private static byte[] deb(Package p, String control) {
        byte[] controlTar = tarGz(Map.of("./control", control.getBytes(StandardCharsets.UTF_8)));
        // deterministic payload, so every start builds the same bytes
        byte[] payload = new byte[p.payloadBytes()];
        long x = p.name().hashCode();
        for (int i = 0; i < payload.length; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            payload[i] = (byte) (x >>> 56);
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        data.put("./usr/share/" + p.name() + "/data", payload);
        data.put("./usr/share/doc/" + p.name() + "/README", (p.description() + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] dataTar = tarGz(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            arEntry(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            arEntry(ar, "control.tar.gz", controlTar);
            arEntry(ar, "data.tar.gz", dataTar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void arEntry(ArArchiveOutputStream ar, String name, byte[] bytes) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length, 0, 0, 0100644, ARCHIVE_TIME_MILLIS / 1000));
        ar.write(bytes);
        ar.closeArchiveEntry();
    }

    private static byte[] tarGz(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out); TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            Set<String> dirs = new LinkedHashSet<>();
            for (String name : entries.keySet()) {
                for (int i = name.indexOf('/', 2); i > 0; i = name.indexOf('/', i + 1)) {
                    dirs.add(name.substring(0, i + 1));
                }
            }
            for (String d : dirs) {
                TarArchiveEntry e = new TarArchiveEntry(d);
                e.setMode(040755);
                e.setModTime(ARCHIVE_TIME_MILLIS);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, byte[]> f : entries.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(0100644);
                e.setModTime(ARCHIVE_TIME_MILLIS);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
