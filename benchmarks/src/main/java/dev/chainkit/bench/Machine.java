package dev.chainkit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line about the machine a run is on: CPU, cores, memory, JVM. Thread safety: stateless. */
final class Machine {

    private Machine() { }

    static String describe() {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
        String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        String load = "";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            load = "?";
        }
        return String.format(Locale.ROOT, "machine: %s, %d cores, %s memory; %s %s (%s); load average %s",
                cpu == null ? System.getProperty("os.arch") : cpu,
                Runtime.getRuntime().availableProcessors(),
                memKb == null ? "?" : Math.round(Long.parseLong(memKb.replaceAll("[^0-9]", "")) / 1048576.0) + " GiB",
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                System.getProperty("os.name"), load);
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
