package org.rtc4j.server;

import java.io.PrintWriter;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every command answers a mistake: one line that says what is wrong (with a "did you mean" when an option
 * or command is misspelt) and one that points to {@code --help}, never the whole usage; and a command that
 * fails says why in one line, without a stack trace (that goes to the log at DEBUG).
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    /** Usage errors exit with 2, as picocli's and most Unix tools' do; failures with 1. */
    static final int USAGE = 2;
    static final int FAILED = 1;

    /** {@code cli} with these handlers. */
    static CommandLine install(CommandLine cli) {
        UsageErrors handler = new UsageErrors();
        return cli.setParameterExceptionHandler(handler).setExecutionExceptionHandler(handler);
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = name(cmd);
        err.println(name + ": " + what(ex));
        err.println("Run '" + name + " --help' for " + (cmd.getSubcommands().isEmpty() ? "its options." : "the commands."));
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (ex instanceof ParameterException p) { // thrown by a command's own checks
            return handleParseException(p, parsed.originalArgs().toArray(String[]::new));
        }
        Throwable cause = ex;
        while ((cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        LoggerFactory.getLogger(UsageErrors.class).debug("{} failed", name(cmd), ex);
        cmd.getErr().println(name(cmd) + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        cmd.getErr().flush();
        return FAILED;
    }

    /** What is wrong, in one line: for a misspelt option or command, the nearest ones. */
    private static String what(ParameterException ex) {
        if (!(ex instanceof UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return firstLine(ex.getMessage());
        }
        String arg = u.getUnmatched().get(0);
        String word = arg.startsWith("-") && arg.indexOf('=') > 0 ? arg.substring(0, arg.indexOf('=')) : arg;
        String kind = word.startsWith("-") ? "unknown option '" : u.getCommandLine().getSubcommands().isEmpty()
                ? "unexpected argument '" : "unknown command '";
        List<String> suggestions = nearest(word, word.startsWith("-") ? optionNames(u.getCommandLine())
                : u.getCommandLine().getSubcommands().values().stream()
                        .filter(c -> !c.getCommandSpec().usageMessage().hidden())
                        .map(CommandLine::getCommandName).toList());
        return kind + word + "'" + (suggestions.isEmpty() ? ""
                : "; did you mean " + String.join(" or ", suggestions.stream().map(s -> "'" + s + "'").toList()) + "?");
    }

    private static List<String> optionNames(CommandLine cmd) {
        return cmd.getCommandSpec().options().stream().filter(o -> !o.hidden())
                .flatMap(o -> java.util.Arrays.stream(o.names())).toList();
    }

    /**
     * The names nearest {@code word}, at most two: those one or two edits away (a letter missing, extra, changed
     * or two swapped, as typing goes wrong), nearest first, else those it is the start of.
     */
    static List<String> nearest(String word, List<String> names) {
        int allowed = word.length() <= 4 ? 1 : 2;
        List<String> near = names.stream().filter(n -> editDistance(word, n) <= allowed)
                .sorted(java.util.Comparator.comparingInt(n -> editDistance(word, n))).limit(2).toList();
        return near.isEmpty() ? names.stream().filter(n -> n.startsWith(word)).limit(2).toList() : near;
    }

    /** Optimal string alignment distance: Levenshtein's, with a swap of two neighbours as one edit. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** "rtc4j demo": the name the user typed, {@code rtc4j} first, however the command was built. */
    static String name(CommandLine cmd) {
        String qualified = cmd.getCommandSpec().qualifiedName(" ");
        return qualified.startsWith("rtc4j") ? qualified : "rtc4j " + qualified;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid usage";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
