package ferry.cli;

import ferry.cli.AptGetRoot.Run;
import ferry.samples.SampleAptRepository;
import ferry.samples.SampleUpstream;
import ferry.server.StoreServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The APT part of {@code ferry demo}, step by step as the demo runs it: the sample upstream's APT repository (built in
 * Java, signed by a key made at start), {@code ferry export --source apt} of {@link SampleAptRepository#SELECTED} with
 * the demo's arguments, verify, import, the store served; the demo's own check passes, fails when given a key that is
 * not the site's, and the {@code .sources} entry the demo prints works with the real apt-get (when installed): it
 * downloads the selected package and its dependencies, and nothing else is published.
 */
class DemoAptTest {
    @TempDir
    Path tmp;

    @Test
    void demoCarriesAPackageAndItsDependenciesToAnAptClient() throws Exception {
        try (SampleUpstream upstream = SampleUpstream.start(tmp.resolve("upstream-files"), "127.0.0.1", 0)) {
            Path keys = tmp.resolve("keys");
            Path trust = tmp.resolve("trust");
            Path store = tmp.resolve("store");
            Path bundle = tmp.resolve("transfer/debian-0001");
            assertEquals(0, ferry("keys", "generate", "--out", keys.toString(), "--user-id", "demo <d@ferry.invalid>"));
            assertEquals(0, ferry("keys", "trust", keys.resolve(KeysCommand.PUBLIC_FILE).toString(), "--trust-store",
                    trust.toString()));
            assertEquals(0, ferry(DemoApt.exportArgs(upstream.aptUri(), upstream.apt().keyring(), bundle,
                    tmp.resolve("state"), keys.resolve(KeysCommand.SECRET_FILE))));
            assertEquals(0, ferry("verify", bundle.toString(), "--trust-store", trust.toString(), "--quiet"));
            assertEquals(0, ferry("import", bundle.toString(), "--store", store.toString(), "--trust-store",
                    trust.toString(), "--quiet"));
            Path siteKey = tmp.resolve("ferry-archive-keyring.asc");
            assertEquals(0, ferry("apt", "export-key", "--store", store.toString(), "--out", siteKey.toString()));

            try (StoreServer served = StoreServer.start(store, "127.0.0.1", 0)) {
                StringWriter printed = new StringWriter();
                DemoApt.check(new PrintWriter(printed, true), served.uri(), siteKey, upstream.apt());
                assertTrue(printed.toString().contains("Packages lists contoso-agent, contoso-common, libcontoso1;"),
                        printed.toString());
                // the check is a real one: the upstream's key is not the site's, so the served InRelease fails it
                CliException wrongKey = assertThrows(CliException.class, () -> DemoApt.check(
                        new PrintWriter(new StringWriter()), served.uri(), upstream.apt().keyring(), upstream.apt()));
                assertEquals(ExitCodes.INTERNAL, wrongKey.exitCode());
                assertTrue(wrongKey.getMessage().contains("the served InRelease does not verify"), wrongKey.getMessage());

                if (!new File("/usr/bin/apt-get").canExecute()) {
                    System.out.println("DemoAptTest: apt-get missing, the .sources entry was not tried with it");
                    return;
                }
                Path root = AptGetRoot.prepare(tmp.resolve("root"), DemoApt.sourcesEntry(served.uri(), siteKey));
                Run update = AptGetRoot.aptGet(root, "update");
                assertEquals(0, update.exit(), update.out());
                assertFalse(update.out().contains("W:") || update.out().contains("E:"), update.out());
                Run install = AptGetRoot.aptGet(root, "install", "--download-only", "-y", SampleAptRepository.SELECTED);
                assertEquals(0, install.exit(), install.out());
                Path archives = root.resolve("var/cache/apt/archives");
                List<String> fetched = new ArrayList<>();
                try (var s = Files.list(archives)) {
                    s.filter(p -> p.toString().endsWith(".deb")).forEach(p -> fetched.add(p.getFileName().toString()));
                }
                fetched.sort(null);
                assertEquals(List.of("contoso-agent_2.1-1_amd64.deb", "contoso-common_2.1-1_all.deb",
                        "libcontoso1_1.4-2_amd64.deb"), fetched);
                assertArrayEquals(upstream.apt().files().get("pool/main/c/contoso-agent/contoso-agent_2.1-1_amd64.deb"),
                        Files.readAllBytes(archives.resolve("contoso-agent_2.1-1_amd64.deb")));
                Run extras = AptGetRoot.aptGet(root, "install", "--simulate", "-y", "contoso-extras");
                assertTrue(extras.exit() != 0, "only the selection is published: " + extras.out());
            }
        }
    }

    private static int ferry(String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        if (code != 0) {
            System.out.println("ferry " + String.join(" ", args) + " -> " + code + ": " + err);
        }
        return code;
    }
}
