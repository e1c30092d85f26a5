package org.rtc4j.server;

import java.util.concurrent.Callable;

/**
 * Commands that work on the source checkout (building, testing) are carried out by the {@code ./rtc4j}
 * shell launcher before any JVM starts; they are declared here so that {@code --help} lists every command.
 */
abstract class LauncherCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("rtc4j: '" + name() + "' is carried out by the ./rtc4j launcher in a source checkout;"
                + " run ./rtc4j " + name());
        return 2;
    }

    abstract String name();
}
