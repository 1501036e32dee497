package ferry.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a secret key's passphrase comes from: a file or an environment variable, never the command line
 * (which other users can read from the process list and shell history).
 */
public final class PassphraseOptions {

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the secret key's passphrase from the first line of FILE.")
    Path passphraseFile;

    @Option(names = "--passphrase-env", paramLabel = "VAR",
            description = "Read the secret key's passphrase from environment variable VAR.")
    String passphraseEnv;

    /**
     * @return the passphrase, or null when neither option was given (the key is then expected to be unprotected)
     * @throws CliException (exit 2) if the file cannot be read, the variable is unset, or both were given
     */
    public char[] read() {
        if (passphraseFile != null && passphraseEnv != null) {
            throw new CliException(ExitCodes.USAGE, "give --passphrase-file or --passphrase-env, not both");
        }
        if (passphraseFile != null) {
            try {
                String text = Files.readString(passphraseFile, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                String line = nl >= 0 ? text.substring(0, nl) : text;
                return line.strip().toCharArray();
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read passphrase file " + passphraseFile + ": " + e.getMessage());
            }
        }
        if (passphraseEnv != null) {
            String value = System.getenv(passphraseEnv);
            if (value == null) {
                throw new CliException(ExitCodes.USAGE, "environment variable " + passphraseEnv + " (passphrase) is not set");
            }
            return value.toCharArray();
        }
        return null;
    }
}
