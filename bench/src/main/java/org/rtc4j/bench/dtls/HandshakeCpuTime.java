package org.rtc4j.bench.dtls;

import java.lang.management.ManagementFactory;
import org.rtc4j.dtls.DtlsCertificate;

/**
 * CPU time per in-memory DTLS handshake (both sides together), next to wall time: on a shared, loaded
 * machine the CPU figure is the steadier one. Run:
 * {@code java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.rtc4j.bench.dtls.HandshakeCpuTime [count]}
 */
public final class HandshakeCpuTime {

    private HandshakeCpuTime() {
    }

    public static void main(String[] args) throws InterruptedException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        DtlsCertificate client = DtlsCertificate.generate();
        DtlsCertificate server = DtlsCertificate.generate();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < 3; round++) {
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                InMemoryPair pair = new InMemoryPair(client, server);
                pair.handshake();
                pair.close();
            }
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e6 / count;
            double wall = (System.nanoTime() - wall0) / 1e6 / count;
            System.out.printf("round %d: %.2f ms CPU, %.2f ms wall per handshake (%d handshakes, JIT %s)%n",
                    round, cpu, wall, count, round == 0 ? "warming" : "warm");
        }
    }
}
