package ferry.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a ferry command in the test's JVM as a shell would run {@code ferry ARGS}, capturing what it printed. */
final class InProcess {

    /**
     * A finished command: its exit code and what it wrote to standard output and standard error. A class with
     * package-private fields rather than a record: the tests read {@code r.code} as they did from their own records.
     */
    static final class Result {
        final int code;
        final String out;
        final String err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        int code() {
            return code;
        }

        String out() {
            return out;
        }

        String err() {
            return err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private InProcess() {
    }

    /**
     * Makes a signing key in {@code keys} ({@code ferry keys generate}) and trusts it in the trust store {@code trust}
     * ({@code ferry keys trust}), failing the test if either command fails.
     *
     * @return the secret key file, for {@code --key}
     */
    static java.nio.file.Path signerTrustedIn(java.nio.file.Path keys, java.nio.file.Path trust, String userId) {
        Result made = ferry("keys", "generate", "--out", keys.toString(), "--user-id", userId);
        org.junit.jupiter.api.Assertions.assertEquals(0, made.code, made.toString());
        Result trusted = ferry("keys", "trust", keys.resolve("signer.pub.asc").toString(), "--trust-store",
                trust.toString());
        org.junit.jupiter.api.Assertions.assertEquals(0, trusted.code, trusted.toString());
        return keys.resolve("signer.sec.asc");
    }

    /** Runs {@code ferry args...} through the same command line {@link Main} builds. */
    static Result ferry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
