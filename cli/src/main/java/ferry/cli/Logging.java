package ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Applies ferry's logging options to Logback for one command run, and undoes them afterwards (tests and the demo
 * run several commands in one process).
 *
 * <p>Which configuration file: {@code -Dlogback.configurationFile=FILE} (Logback's own, read at start-up), else
 * {@code --log-config FILE}, else the {@code FERRY_LOG_CONFIG} environment variable, else ferry's default
 * ({@link DefaultLogging}: warnings and errors, one line each, on standard error). Which level: {@code --log-level}
 * (every logger) beats {@code --verbose} (debug for ferry's own loggers) beats {@code --quiet} (warnings only);
 * without any of them the file decides.
 */
final class Logging {
    static final String CONFIG_ENV = "FERRY_LOG_CONFIG";
    private static final String FERRY = "ferry";

    private final LoggerContext context;
    private boolean reconfigured;
    private Level savedRoot;
    private Level savedFerry;

    private Logging(LoggerContext context) {
        this.context = context;
    }

    /**
     * Applies the options; {@code configFile} and {@code level} may be null, {@code env} is the value of
     * {@value #CONFIG_ENV} or null.
     *
     * @throws CliException (usage) when the configuration file cannot be read or is not a valid Logback file,
     *                      or the level is not one of trace, debug, info, warn, error, off
     */
    static Logging apply(Path configFile, String env, String level, boolean verbose, boolean quiet) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new Logging(null); // another SLF4J provider is bound: it configures itself
        }
        Logging logging = new Logging(context);
        Level wanted = level != null ? parseLevel(level) : null;
        Path file = configFile;
        String origin = "--log-config";
        if (file == null && env != null && !env.isBlank()) {
            file = Path.of(env);
            origin = CONFIG_ENV;
        }
        if (file != null && System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) == null) {
            logging.load(file, origin);
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ferry = context.getLogger(FERRY);
        logging.savedRoot = root.getLevel();
        logging.savedFerry = ferry.getLevel();
        if (wanted != null) {
            root.setLevel(wanted);
            ferry.setLevel(wanted);
        } else if (verbose) {
            ferry.setLevel(Level.DEBUG); // libraries (Jetty, H2, Flyway) stay as configured: their debug is noise
        } else if (quiet) {
            root.setLevel(Level.WARN);
            ferry.setLevel(Level.WARN);
        }
        return logging;
    }

    private void load(Path file, String origin) {
        if (!Files.isReadable(file)) {
            throw new CliException(ExitCodes.USAGE, origin + ": cannot read the logging configuration " + file);
        }
        context.reset();
        context.getStatusManager().clear();
        reconfigured = true;
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        String problem = null;
        try {
            configurator.doConfigure(file.toFile());
        } catch (JoranException e) {
            problem = e.getMessage();
        }
        for (Status s : context.getStatusManager().getCopyOfStatusList()) {
            if (problem == null && s.getLevel() == Status.ERROR) {
                problem = s.getMessage();
            }
        }
        if (problem != null) {
            restore(); // log with the configuration found at start-up, not with half of the operator's
            throw new CliException(ExitCodes.USAGE, origin + ": " + file + " is not a valid Logback configuration: "
                    + problem);
        }
    }

    private static Level parseLevel(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return switch (n) {
            case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF" -> Level.toLevel(n);
            default -> throw new CliException(ExitCodes.USAGE,
                    "--log-level: expected one of trace, debug, info, warn, error, off, got '" + name + "'");
        };
    }

    /** Puts back the configuration found at start-up. */
    void restore() {
        if (context == null) {
            return;
        }
        if (reconfigured) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new IllegalStateException("cannot restore the logging configuration", e);
            }
        } else {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(savedRoot);
            context.getLogger(FERRY).setLevel(savedFerry);
        }
    }
}
