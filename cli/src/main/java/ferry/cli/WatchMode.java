package ferry.cli;

import ferry.format.trust.TrustStore;
import ferry.importer.DropWatcher;
import ferry.importer.ImporterException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ferry import --watch DIR}: a {@link DropWatcher} looking at the drop directory every poll interval until
 * SIGTERM or SIGINT (the JVM's shutdown hook asks it to stop and waits for the look in progress, an import
 * included, to end), or once with {@code --once}. One line per change of a bundle's state on standard output
 * ({@code --json}: one JSON object per line).
 */
final class WatchMode {
    /** How long a stop request waits for an import in progress (an import killed later is rolled back anyway). */
    private static final long STOP_WAIT_SECONDS = 120;

    private final CommandSpec spec;
    private final OutputOptions output;
    private final Path drop;
    private final Path store;
    private final TrustStore trust;
    private final Duration settle;
    private final Duration poll;
    private final boolean once;

    WatchMode(CommandSpec spec, OutputOptions output, Path drop, Path store, TrustStore trust, Duration settle,
              Duration poll, boolean once) {
        this.spec = spec;
        this.output = output;
        this.drop = drop;
        this.store = store;
        this.trust = trust;
        this.settle = settle;
        this.poll = poll;
        this.once = once;
    }

    int run() {
        if (!Files.isDirectory(drop)) {
            throw new CliException(ExitCodes.USAGE, "drop directory " + drop + " does not exist");
        }
        ConsoleProgress progress = output.progress();
        DropWatcher w = new DropWatcher(drop, store, trust, settle, Clock.systemUTC(), progress);
        if (once) {
            try {
                List<DropWatcher.Status> all = w.scan();
                progress.end();
                int code = ExitCodes.OK;
                for (DropWatcher.Status s : all) {
                    print(s);
                    if (s.state() == DropWatcher.State.REFUSED) {
                        code = ExitCodes.REFUSED;
                    } else if (s.state() == DropWatcher.State.FAILED && code == ExitCodes.OK) {
                        code = ExitCodes.INVALID_BUNDLE;
                    }
                }
                if (all.isEmpty()) {
                    print(null);
                }
                return code;
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read drop directory " + drop + ": " + e.getMessage(), e);
            } catch (ImporterException e) {
                progress.end();
                throw new CliException(Errors.exitCode(e), e.getMessage(), e);
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ferry-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getErr().println("watching " + drop.toAbsolutePath() + " (every " + poll.toSeconds()
                + " s; SIGTERM or Ctrl-C stops)");
        spec.commandLine().getErr().flush();
        try {
            w.run(poll, stop::get, this::print);
            spec.commandLine().getErr().println("stopped watching " + drop.toAbsolutePath());
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it has been told
            }
        }
    }

    private void print(DropWatcher.Status s) {
        PrintWriter out = spec.commandLine().getOut();
        if (s == null) {
            if (!output.json) {
                out.println("no bundle directories in " + drop.toAbsolutePath());
            }
        } else if (output.json) {
            try {
                out.println(Output.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(s));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize a watch status", e);
            }
        } else {
            out.println(s.name() + ": " + s.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": "
                    + s.message() + (s.repaired().isEmpty() ? "" : " (repaired " + String.join(", ", s.repaired()) + ")"));
        }
        out.flush();
    }
}
