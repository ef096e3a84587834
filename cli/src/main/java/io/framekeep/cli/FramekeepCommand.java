package io.framekeep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code framekeep}: the command-line entry point. Exit codes: 0 success, 1 runtime failure,
 * 2 usage error (picocli's convention).
 */
@Command(
    name = "framekeep",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A self-hostable Kinesis Video Streams media server.",
    subcommands = {ServeCommand.class, PutCommand.class, ClipCommand.class, LsCommand.class, MigrateCommand.class,
        CommandLine.HelpCommand.class})
public final class FramekeepCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new FramekeepCommand()).execute(args));
  }
}
