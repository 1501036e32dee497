package ferry.cli;

import ferry.apt.deb822.ControlFileException;
import ferry.apt.deb822.ControlFileReader;
import ferry.apt.deb822.Paragraph;
import ferry.apt.index.IndexFormatException;
import ferry.apt.index.PackageEntry;
import ferry.apt.trust.ReleaseSignatureException;
import ferry.apt.trust.ReleaseVerifier;
import ferry.apt.trust.UpstreamKeyring;
import ferry.samples.SampleAptRepository;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * The APT part of {@code ferry demo}: what the demo prints and checks for the sample APT repository once its
 * selection has been imported and the store is served. The check fetches from the served store as apt would: the
 * {@code InRelease}, verified against the site's repository key (as {@code Signed-By} makes apt do), the Packages
 * index it names, and every {@code .deb} that index names, each compared with the upstream's bytes.
 */
final class DemoApt {
    /** The ferry channel the demo carries the APT selection on. */
    static final String CHANNEL = "debian";

    private DemoApt() {
    }

    /** The {@code ferry export --source apt ...} arguments: {@link SampleAptRepository#SELECTED} and its dependencies. */
    static String[] exportArgs(URI aptUpstream, Path keyring, Path bundle, Path state, Path secretKey) {
        return new String[]{"export", "--source", "apt", "--upstream", aptUpstream.toString(),
                "--suite", SampleAptRepository.SUITE, "--component", SampleAptRepository.COMPONENT,
                "--arch", SampleAptRepository.ARCHITECTURE, "--package", SampleAptRepository.SELECTED,
                "--upstream-keyring", keyring.toString(), "--channel", CHANNEL, "--state", state.toString(),
                "--key", secretKey.toString(), "--out", bundle.toString(), "--quiet"};
    }

    /** The deb822 entry a client puts in {@code /etc/apt/sources.list.d/ferry.sources}. */
    static String sourcesEntry(URI served, Path siteKey) {
        return "Types: deb\n"
                + "URIs: " + served.resolve("apt/" + CHANNEL + "/") + "\n"
                + "Suites: " + SampleAptRepository.SUITE + "\n"
                + "Components: " + SampleAptRepository.COMPONENT + "\n"
                + "Signed-By: " + siteKey.toAbsolutePath() + "\n";
    }

    /**
     * Fetches the served repository as apt would and checks it against the upstream; prints one line.
     *
     * @param siteKey the site's repository key as {@code ferry apt export-key} wrote it
     * @throws CliException (exit code {@link ExitCodes#INTERNAL}) if what is served differs from what was selected
     */
    static void check(PrintWriter out, URI served, Path siteKey, SampleAptRepository upstream) throws Exception {
        URI repo = served.resolve("apt/" + CHANNEL + "/");
        HttpClient http = HttpClient.newHttpClient();
        ReleaseVerifier.Verified release;
        try {
            release = ReleaseVerifier.verifyInRelease(
                    get(http, repo.resolve("dists/" + SampleAptRepository.SUITE + "/InRelease")),
                    UpstreamKeyring.load(siteKey), Instant.now());
        } catch (ReleaseSignatureException e) {
            throw failed("the served InRelease does not verify with " + siteKey + ": " + e.getMessage());
        }
        String index = SampleAptRepository.COMPONENT + "/binary-" + SampleAptRepository.ARCHITECTURE + "/Packages";
        byte[] packages = get(http, repo.resolve("dists/" + SampleAptRepository.SUITE + "/" + index));
        String digest = sha256(packages);
        boolean listed = release.text().lines().map(String::strip).map(l -> l.split(" +"))
                .anyMatch(f -> f.length == 3 && f[0].equals(digest) && f[1].equals(Integer.toString(packages.length))
                        && f[2].equals(index));
        if (!listed) {
            throw failed("the served Release does not list " + index + " with SHA-256 " + digest);
        }
        List<String> names = new ArrayList<>();
        try (ControlFileReader r = new ControlFileReader(new StringReader(
                new String(packages, StandardCharsets.UTF_8)), index)) {
            for (Paragraph p = r.next(); p != null; p = r.next()) {
                PackageEntry e = PackageEntry.of(p);
                byte[] deb = get(http, repo.resolve(e.filename()));
                byte[] original = upstream.files().get(e.filename());
                if (original == null || !MessageDigest.isEqual(deb, original) || !sha256(deb).equals(e.sha256())) {
                    throw failed("the served " + e.filename() + " differs from the upstream's");
                }
                names.add(e.name());
            }
        } catch (ControlFileException | IndexFormatException e) {
            throw failed("the served " + index + " does not parse: " + e.getMessage());
        }
        if (!new TreeSet<>(names).equals(new TreeSet<>(SampleAptRepository.CLOSURE))) {
            throw failed("the served repository lists " + names + ", expected " + SampleAptRepository.CLOSURE);
        }
        out.println("    InRelease verified with the site key (" + String.join(", ", release.signerFingerprints())
                + "); Packages lists " + String.join(", ", new TreeSet<>(names)) + "; each .deb fetched from "
                + repo + "pool/ is identical to the upstream's");
    }

    private static byte[] get(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw failed("GET " + uri + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static CliException failed(String what) {
        return new CliException(ExitCodes.INTERNAL, "demo: APT: " + what);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
