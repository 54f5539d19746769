package io.kroute.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a process has taken from the machine, from Linux's {@code /proc}. */
final class ProcessMemory {

    private ProcessMemory() {}

    /** Peak resident set size (VmHWM) in MiB, or NaN where /proc does not say (not Linux, process gone). */
    static double peakResidentMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not available
        }
        return Double.NaN;
    }
}
