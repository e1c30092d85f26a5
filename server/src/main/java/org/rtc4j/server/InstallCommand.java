package org.rtc4j.server;

import picocli.CommandLine.Command;

@Command(name = "install", description = "Install every module, with sources and javadoc, into the local Maven repository.")
final class InstallCommand extends LauncherCommand {
    @Override
    String name() {
        return "install";
    }
}
