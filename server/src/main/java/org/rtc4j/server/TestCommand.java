package org.rtc4j.server;

import picocli.CommandLine.Command;

@Command(name = "test", description = {
    "Run the whole test suite, real-peer tests included, in a loopback-only network namespace.",
    "Installs the real peers it uses from Debian (chromium, coturn, openssl, libsrtp, usrsctp) first when run as root."})
final class TestCommand extends LauncherCommand {
    @Override
    String name() {
        return "test";
    }
}
