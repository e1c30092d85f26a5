package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The servers' command lines read without picocli ({@link ServerArgs}) read as picocli reads them, or not at all. */
class ServerArgsTest {

    @Test
    void theUsualLinesReadAsPicocliReadsThem() {
        for (String line : List.of(
                "--listen 127.0.0.1:3478 --realm test --user alice:secret --allow-loopback-peers --max-bps 0",
                "--listen=[::1]:3478 --listen 127.0.0.1:3478 --auth-secret s --min-port 50000 --max-port=50999",
                "--users users.txt --relay-address 10.0.0.1 --relay-address ::1 --external-address 203.0.113.5",
                "--tls-listen 127.0.0.1:5349 --tls-cert c.pem --tls-key k.pem --user a:b --user-quota 3",
                "--address-quota 7 --total-quota 9 --max-tcp-connections 10 --max-tcp-per-address 2 "
                        + "--tcp-idle-timeout 5 --user a:b",
                "")) {
            String[] args = line.isEmpty() ? new String[0] : line.split(" ");
            TurnServerCommand picocli = new TurnServerCommand();
            new CommandLine(picocli).parseArgs(args);
            TurnServerCommand fast = TurnServerCommand.readFast(args);
            assertThat(fast).as(line).isNotNull();
            assertThat(fields(fast)).as(line).isEqualTo(fields(picocli));
        }
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        for (String line : List.of("--help", "-h", "--version", "--no-such-option 1", "--realm a --realm b",
                "--min-port 0100", "--min-port -1", "--min-port 1e3", "--max-port 99999999999",
                "--allow-loopback-peers=true", "--allow-loopback-peers --allow-loopback-peers", "--realm",
                "--realm --user", "positional")) {
            assertThat(TurnServerCommand.readFast(line.split(" "))).as(line).isNull();
        }
    }

    @Test
    void everyOptionOfBothServersIsReadWithoutPicocli() {
        TurnServerCommand turn = new TurnServerCommand();
        assertThat(TurnServerCommand.fastOptions(turn).names()).isEqualTo(names(new CommandLine(turn)));
        StunServerCommand stun = new StunServerCommand();
        assertThat(StunServerCommand.fastOptions(stun).names()).isEqualTo(names(new CommandLine(stun)));
    }

    /** picocli's option names, but for help and version (always left to picocli). */
    private static Set<String> names(CommandLine cli) {
        return cli.getCommandSpec().options().stream().flatMap(o -> Arrays.stream(o.names()))
                .filter(n -> !Set.of("-h", "--help", "-V", "--version").contains(n)).collect(Collectors.toSet());
    }

    private static List<Object> fields(TurnServerCommand c) {
        return List.of(c.listen, c.tlsListen, String.valueOf(c.tlsCert), String.valueOf(c.tlsKey), c.realm, c.users,
                String.valueOf(c.usersFile), String.valueOf(c.authSecret), c.relayAddresses,
                String.valueOf(c.externalAddress), c.minPort, c.maxPort, c.allowLoopbackPeers, c.userQuota,
                c.addressQuota, c.totalQuota, c.maxBytesPerSecond, c.tcpOptions.maxConnections,
                c.tcpOptions.maxPerAddress, c.tcpOptions.idleSeconds);
    }
}
