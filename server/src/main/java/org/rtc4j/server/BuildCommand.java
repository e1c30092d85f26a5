package org.rtc4j.server;

import picocli.CommandLine.Command;

@Command(name = "build", description = "Build every module, without running tests.")
final class BuildCommand extends LauncherCommand {
    @Override
    String name() {
        return "build";
    }
}
