package io.spillway.server.cli;

import io.spillway.server.config.ConfigException;
import io.spillway.server.config.ConfigFile;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.config.Setting;
import io.spillway.server.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code spillway} command line: {@code spillway serve [--config FILE] [--print-config] [--print-heap]
 * [--<setting> VALUE]...},
 * and the hidden {@code spillway settings-table}, which prints the README's settings table.
 *
 * <p>Exit status: 0 after help, {@code --print-config}, {@code --print-heap} or a clean shutdown; 2 for a usage or configuration error,
 * reported on one line as {@code spillway: <message>}; 1 when the server cannot start.
 */
final class SpillwayCommand {

  /*
   * Design note. The serve options are built from Settings.all() with picocli's programmatic API, not declared with
   * annotations, so that a setting added to the table is at once a flag, a config-file key, a line of --help and a
   * row of the README. Option values stay strings here: Settings parses them, so a flag and a file value fail with
   * the same message. Only options actually given are passed on, so that an absent flag never hides the file's value.
   * The execution strategy reads the ParseResult directly; no picocli user object is involved.
   */

  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  private static final String CONFIG = "--config";
  private static final String PRINT_CONFIG = "--print-config";
  private static final String PRINT_HEAP = "--print-heap";
  private static final String CHANNEL_POLICY = "--channel-policy";

  private SpillwayCommand() {}

  /** A command line whose {@code serve} subcommand hands the resolved configuration to {@code action}. */
  static CommandLine create(ServeAction action) {
    CommandSpec spillway = CommandSpec.create().name("spillway").addOption(helpOption());
    spillway
        .usageMessage()
        .description("An overload-safe pub/sub message server speaking the Redis protocol.");
    spillway.addSubcommand("serve", serveSpec());
    CommandSpec help = CommandSpec.create()
        .name("help")
        .addPositional(PositionalParamSpec.builder()
            .arity("0..1")
            .paramLabel("COMMAND")
            .type(String.class)
            .description("The command to describe.")
            .build());
    help.usageMessage().description("Show help for spillway or one of its commands.");
    spillway.addSubcommand("help", help);
    CommandSpec table = CommandSpec.create().name("settings-table").addOption(helpOption());
    table
        .usageMessage()
        .hidden(true)
        .description("Print the README's table of settings (Markdown).");
    spillway.addSubcommand("settings-table", table);

    CommandLine commandLine = new CommandLine(spillway);
    commandLine.setExecutionStrategy(parsed -> execute(parsed, action));
    commandLine.setParameterExceptionHandler(SpillwayCommand::usageError);
    return commandLine;
  }

  private static CommandSpec serveSpec() {
    CommandSpec serve = CommandSpec.create().name("serve");
    serve
        .usageMessage()
        .customSynopsis(
            "spillway serve [--config=FILE] [--print-config] [--print-heap] [--<setting>=<value>]...")
        .description(
            "Run the server.",
            "Every setting below can also be given in the --config file, under the "
                + "same name without '--'; a flag wins over the file.")
        .footer(
            "",
            "Sizes: 65536, 64kb (1024-based), 64k (1000-based), 1mb, 512KiB. "
                + "Durations: 250ms, 5s, 2m, 1h; a bare number is seconds.")
        .sortOptions(false);
    serve.addOption(OptionSpec.builder(CONFIG)
        .paramLabel("FILE")
        .type(Path.class)
        .description("YAML file of settings.")
        .build());
    for (Setting<?> setting : Settings.all()) {
      OptionSpec.Builder option = OptionSpec.builder("--" + setting.key())
          .type(String.class)
          .paramLabel("<" + setting.typeLabel() + ">")
          .description(setting.description() + " Default: " + setting.defaultText() + ".");
      if (setting.isBoolean()) {
        option.arity("0..1").fallbackValue("true");
      }
      serve.addOption(option.build());
    }
    serve.addOption(OptionSpec.builder(CHANNEL_POLICY)
        .type(String[].class)
        .arity("1")
        .paramLabel("PATTERN=STRATEGY[,max-block=D]")
        .description(
            "One channel-policies entry; repeatable, kept in order (the first match wins), after the"
                + " entries of --channel-policies.")
        .build());
    serve.addOption(OptionSpec.builder(PRINT_CONFIG)
        .type(boolean.class)
        .description("Print the resolved settings as a config file, and exit.")
        .build());
    serve.addOption(OptionSpec.builder(PRINT_HEAP)
        .type(boolean.class)
        .description(
            "Print the -Xmx the settings' budgets need (output, subscription state and a base), and exit.")
        .build());
    serve.addOption(helpOption());
    return serve;
  }

  private static OptionSpec helpOption() {
    return OptionSpec.builder("-h", "--help")
        .usageHelp(true)
        .type(boolean.class)
        .description("Show this help, and exit.")
        .build();
  }

  private static int execute(ParseResult parsed, ServeAction action) {
    Integer helpStatus = CommandLine.executeHelpRequest(parsed);
    if (helpStatus != null) {
      return helpStatus;
    }
    if (!parsed.hasSubcommand()) {
      throw new ParameterException(
          parsed.commandSpec().commandLine(), "a command is required: serve");
    }
    ParseResult command = parsed.subcommand();
    CommandLine commandLine = command.commandSpec().commandLine();
    if (command.commandSpec().name().equals("help")) {
      String name = command.matchedPositionalValue(0, null);
      CommandLine root = parsed.commandSpec().commandLine();
      CommandLine described = name == null ? root : root.getSubcommands().get(name);
      if (described == null) {
        throw new ParameterException(commandLine, "no such command: " + name);
      }
      described.usage(commandLine.getOut());
      return EXIT_OK;
    }
    if (command.commandSpec().name().equals("settings-table")) {
      commandLine.getOut().print(Settings.markdownTable());
      commandLine.getOut().flush();
      return EXIT_OK;
    }
    return serve(command, commandLine.getOut(), commandLine.getErr(), action);
  }

  private static int serve(
      ParseResult serve, PrintWriter out, PrintWriter err, ServeAction action) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.all()) {
      String name = "--" + setting.key();
      if (serve.hasMatchedOption(name)) {
        flags.put(setting.key(), serve.matchedOptionValue(name, ""));
      }
    }
    if (serve.hasMatchedOption(CHANNEL_POLICY)) {
      String entries = String.join(";", serve.matchedOptionValue(CHANNEL_POLICY, new String[0]));
      flags.merge("channel-policies", entries, (earlier, more) -> earlier + ";" + more);
    }
    ServerConfig config;
    try {
      config = ConfigFile.resolve(serve.matchedOptionValue(CONFIG, null), flags);
    } catch (ConfigException e) {
      err.println("spillway: " + e.getMessage());
      err.flush();
      return EXIT_USAGE;
    }
    if (serve.hasMatchedOption(PRINT_CONFIG)) {
      out.print(ConfigFile.toYaml(config));
      out.flush();
      return EXIT_OK;
    }
    if (serve.hasMatchedOption(PRINT_HEAP)) {
      out.println(HeapBudget.xmx(config));
      out.flush();
      return EXIT_OK;
    }
    try {
      return action.serve(config);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("spillway: interrupted while starting");
    } catch (RuntimeException e) {
      err.print("spillway: ");
      e.printStackTrace(err);
    } catch (Exception e) {
      err.println("spillway: cannot start: " + e.getMessage());
    }
    err.flush();
    return EXIT_FAILURE;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println("spillway: " + describe(e));
    err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return EXIT_USAGE;
  }

  /** Picocli's message, except that an unknown {@code --flag} is compared with the settings' keys. */
  private static String describe(ParameterException e) {
    if (e instanceof UnmatchedArgumentException unmatchedArgument) {
      List<String> unmatched = unmatchedArgument.getUnmatched();
      String first = unmatched.isEmpty() ? "" : unmatched.get(0);
      if (first.startsWith("--")) {
        String flag = first.split("=", 2)[0];
        List<String> near = Settings.nearMatches(flag.substring(2));
        return "unknown option '" + flag + "'"
            + (near.isEmpty() ? "" : " (did you mean --" + String.join(" or --", near) + "?)");
      }
    }
    return e.getMessage();
  }
}
