package org.rtc4j.server;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this process, user and system, as one clock read. ProcessHandle's info() reads and parses several
 * /proc files and looks up the user name: 5 ms, which landed inside the measured setup of {@code ./rtc4j peer}.
 */
final class ProcessCpu {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    /** Nanoseconds of CPU so far (class loading happens on the first call: make it at start-up). */
    static long nanos() {
        return OS.getProcessCpuTime();
    }
}
