package ferry.cli;

import ferry.format.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * Shows {@link Progress} to an operator: a progress bar (bytes, rate, ETA) on an interactive terminal, and
 * plain start/end lines otherwise, so cron and CI logs stay readable. Everything goes to standard error, so
 * standard output carries only the result (and {@code --json} stays parseable).
 */
final class ConsoleProgress implements Progress {
    private final PrintStream err;
    private final boolean interactive;
    private final boolean quiet;
    private ProgressBar bar;
    private String task;
    private long done;

    ConsoleProgress(boolean quiet) {
        this.err = System.err;
        this.interactive = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        this.quiet = quiet;
    }

    @Override
    public void begin(String task, long totalBytes) {
        end();
        this.task = task;
        this.done = 0;
        if (quiet) {
            return;
        }
        if (interactive) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(totalBytes, 0))
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1 << 20).showSpeed()
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err)).build();
        } else {
            err.println("  " + task + (totalBytes >= 0 ? " (" + Sizes.human(totalBytes) + ")" : "") + " ...");
        }
    }

    @Override
    public void advance(long bytes) {
        done += bytes;
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        task = null;
    }

    @Override
    public void info(String line) {
        if (quiet) {
            return;
        }
        if (bar != null) {
            bar.pause();
            err.println(line);
            bar.resume();
        } else {
            err.println(line);
        }
    }
}
