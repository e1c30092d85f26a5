package org.rtc4j.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The commands' logging, set up in code rather than by a logback.xml: to stderr (stdout belongs to commands
 * that print results), Jetty at WARN (it announces every start and stop at INFO), the root level from
 * RTC4J_LOG_LEVEL (a system property or the environment; INFO by default). Logback's XML configurator loads
 * an XML parser and some 400 classes and spins lambdas at run time: a cold command's largest start-up cost
 * after the JVM's own (issue 23). Found by logback's ServiceLoader look-up; a file named by
 * {@code -Dlogback.configurationFile} still wins.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        String level = System.getProperty("RTC4J_LOG_LEVEL", System.getenv("RTC4J_LOG_LEVEL"));
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(stderr);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
