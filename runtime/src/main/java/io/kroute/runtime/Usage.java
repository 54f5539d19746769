package io.kroute.runtime;

import java.io.PrintStream;

/** How every main answers {@code --help}: its usage on standard output, exit 0, before anything starts. */
public final class Usage {

    private Usage() {}

    /** Whether {@code args} ask for help ({@code --help} or {@code -h} anywhere); if so, prints {@code usage}. */
    public static boolean helpAsked(String[] args, String usage) {
        return helpAsked(args, usage, System.out);
    }

    static boolean helpAsked(String[] args, String usage, PrintStream out) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(usage);
                return true;
            }
        }
        return false;
    }
}
