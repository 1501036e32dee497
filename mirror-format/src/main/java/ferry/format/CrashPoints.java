package ferry.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Named steps of an export or an import at which the crash harnesses stop the process dead ({@code Runtime.halt},
 * as a SIGKILL or power cut would), to prove that a run killed anywhere leaves nothing half-visible and that the
 * next run cleans up (and, for exports, never reuses a sequence number). Steps are named {@code <module>.<step>},
 * e.g. {@code export.bundle-renamed}, {@code import.copy}, {@code store.commit}.
 *
 * <p>Off unless a system property is set when this class loads, and then free: {@link #reached} tests one
 * {@code static final} field that is null in production.
 * <ul>
 *   <li>{@value #HALT_PROPERTY}{@code =<step>#<n>}: halt with exit status {@value #HALT_STATUS} the n-th time
 *       (from 1) {@code step} is reached;</li>
 *   <li>{@value #TRACE_PROPERTY}{@code =<file>}: append each step reached to the file, one per line (how a
 *       test learns which points a run passes);</li>
 *   <li>{@value #PAUSE_PROPERTY}{@code =<step>#<n>=<file>}: the n-th time {@code step} is reached, create
 *       {@code file} and wait until it is deleted (how a test holds a run in flight while it does something
 *       else, e.g. a second import or stopping a server).</li>
 * </ul>
 */
public final class CrashPoints {

    public static final String HALT_PROPERTY = "ferry.crashAt";
    public static final String TRACE_PROPERTY = "ferry.crashTrace";
    public static final String PAUSE_PROPERTY = "ferry.pauseAt";
    /** The exit status of a halted run (128 + SIGKILL's 9, as a shell reports a killed process). */
    public static final int HALT_STATUS = 137;

    private static final Plan PLAN = Plan.fromSystemProperties();

    private CrashPoints() {
    }

    /** Marks a step; halts the JVM if it is the chosen one. A no-op unless a crash test configured it. */
    public static void reached(String step) {
        if (PLAN != null) {
            PLAN.reached(step);
        }
    }

    /** None in production; under a crash test, the bundle writer's steps as {@code bundle.<step>}. */
    public static BundleWriter.StepListener bundleSteps() {
        return PLAN == null ? BundleWriter.StepListener.NONE : step -> reached("bundle." + step);
    }

    /**
     * Marks {@code step} once per 32 KiB boundary a byte count crosses going from {@code before} to {@code after}:
     * the points then depend on the data, not on how many bytes each read happened to return.
     */
    public static void bytes(String step, long before, long after) {
        if (PLAN != null) {
            for (long k = (before >> 15); k < (after >> 15); k++) {
                PLAN.reached(step);
            }
        }
    }

    /** {@code progress} itself in production; under a crash test, one that also marks {@code step} every 32 KiB. */
    public static Progress marking(Progress progress, String step) {
        if (PLAN == null) {
            return progress;
        }
        return new Progress() {
            private long total;

            @Override
            public void begin(String task, long totalBytes) {
                progress.begin(task, totalBytes);
            }

            @Override
            public void advance(long bytes) {
                bytes(step, total, total + bytes);
                total += bytes;
                progress.advance(bytes);
            }

            @Override
            public void end() {
                progress.end();
            }

            @Override
            public void info(String line) {
                progress.info(line);
            }
        };
    }

    private static final class Plan {
        private final String haltStep;
        private final int haltAt;
        private final Path trace;
        private final String pauseStep;
        private final int pauseAt;
        private final Path pauseFile;
        private final Map<String, Integer> counts = new HashMap<>();

        private Plan(String haltStep, int haltAt, Path trace, String pause) {
            this.haltStep = haltStep;
            this.haltAt = haltAt;
            this.trace = trace;
            if (pause == null) {
                pauseStep = null;
                pauseAt = 0;
                pauseFile = null;
            } else {
                int eq = pause.indexOf('=');
                int hash = eq < 0 ? -1 : pause.lastIndexOf('#', eq);
                if (hash <= 0) {
                    throw new IllegalArgumentException(PAUSE_PROPERTY + " must be <step>#<n>=<file>: " + pause);
                }
                pauseStep = pause.substring(0, hash);
                pauseAt = Integer.parseInt(pause.substring(hash + 1, eq));
                pauseFile = Path.of(pause.substring(eq + 1));
            }
        }

        static Plan fromSystemProperties() {
            String halt = System.getProperty(HALT_PROPERTY);
            String trace = System.getProperty(TRACE_PROPERTY);
            String pause = System.getProperty(PAUSE_PROPERTY);
            if (halt == null && trace == null && pause == null) {
                return null;
            }
            String step = null;
            int at = 0;
            if (halt != null) {
                int hash = halt.lastIndexOf('#');
                if (hash <= 0) {
                    throw new IllegalArgumentException(HALT_PROPERTY + " must be <step>#<n>: " + halt);
                }
                step = halt.substring(0, hash);
                at = Integer.parseInt(halt.substring(hash + 1));
            }
            return new Plan(step, at, trace == null ? null : Path.of(trace), pause);
        }

        synchronized void reached(String step) {
            int n = counts.merge(step, 1, Integer::sum);
            if (trace != null) {
                try {
                    Files.writeString(trace, step + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (n == haltAt && step.equals(haltStep)) {
                Runtime.getRuntime().halt(HALT_STATUS);
            }
            if (n == pauseAt && step.equals(pauseStep)) {
                pause();
            }
        }

        private void pause() {
            try {
                Files.writeString(pauseFile, step() + "\n", StandardCharsets.UTF_8);
                while (Files.exists(pauseFile)) {
                    Thread.sleep(20);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private String step() {
            return pauseStep + "#" + pauseAt + " in process " + ProcessHandle.current().pid();
        }
    }
}
