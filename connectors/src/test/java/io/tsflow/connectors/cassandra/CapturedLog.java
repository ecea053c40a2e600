package io.tsflow.connectors.cassandra;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** The messages one class logs (at INFO and above) while open, to wait on and assert. */
final class CapturedLog extends AbstractAppender implements AutoCloseable {

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final String logger;

    private CapturedLog(String logger) {
        super("captured-" + logger, null, null, true, Property.EMPTY_ARRAY);
        this.logger = logger;
    }

    static CapturedLog of(Class<?> type) {
        CapturedLog log = new CapturedLog(type.getName());
        log.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        LoggerConfig config =
                new LoggerConfig(type.getName(), org.apache.logging.log4j.Level.INFO, true);
        config.addAppender(log, null, null);
        configuration.addLogger(type.getName(), config);
        context.updateLoggers();
        return log;
    }

    @Override
    public void append(LogEvent event) {
        messages.add(event.getMessage().getFormattedMessage());
    }

    boolean contains(String text) {
        return count(text) > 0;
    }

    long count(String text) {
        return messages.stream().filter(message -> message.contains(text)).count();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(logger);
        context.updateLoggers();
        stop();
    }
}
