import { Command, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { type Config, loadConfig } from '../config/index.ts';
import { SHIPPED_SCENARIOS } from '../emulator/scenario.ts';
import { type DemoCommandOptions, demoCommand } from './commands/demo.ts';
import { doctorCommand } from './commands/doctor.ts';
import { type EmulatorCommandOptions, emulatorCommand } from './commands/emulator.ts';
import { explainCommand } from './commands/explain.ts';
import { startCommand } from './commands/start.ts';
import type { CliIo } from './io.ts';
import { addServiceCommands } from './manage-program.ts';

/** adwarden's version, from package.json. */
export const VERSION: string = packageJson.version;

/** Global options every command accepts. */
interface GlobalOptions {
  config?: string;
  logLevel?: string;
  url?: string;
}

/** Builds the `adwarden` command tree. Commands load the configuration only when they need it. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('adwarden')
    .description('Keeps TikTok API for Business integrations healthy.')
    .version(VERSION, '-v, --version', 'print the version')
    .option('--config <file>', 'JSON config file (also ADWARDEN_CONFIG)')
    .option('--url <url>', 'the running service management commands talk to (also ADWARDEN_URL)')
    .addOption(
      new Option('--log-level <level>', 'log level').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .showHelpAfterError('(run "adwarden --help" for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });

  const config = (): Config => {
    const globals = program.opts<GlobalOptions>();
    return loadConfig({
      env: io.env,
      cwd: io.cwd,
      configFile: globals.config,
      flags: [
        ...(globals.logLevel ? [{ key: 'log.level', value: globals.logLevel, flag: '--log-level' }] : []),
        ...(globals.url ? [{ key: 'cli.url', value: globals.url, flag: '--url' }] : []),
      ],
    });
  };

  program
    .command('explain')
    .description(
      'explain a TikTok return code, a message, or a whole JSON response read from standard input (-)',
    )
    .argument(
      '<input...>',
      'a code (40100), message text in quotes, or - for a JSON response on standard input',
    )
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  adwarden explain 40100\n  adwarden explain "advertiser does not grant you /file/video/ad/search/:GET permission"\n  adwarden explain - < response.json',
    )
    .action((words: string[], options: { json?: boolean }) => explainCommand(words, options, io));

  program
    .command('doctor')
    .description('print the effective configuration with secrets redacted')
    .option('--json', 'print one JSON object')
    .action((options: { json?: boolean }) => doctorCommand(config(), options, io, VERSION));

  addEmulatorCommands(program, io);

  program
    .command('start')
    .description('serve when a TikTok app is configured, otherwise run the demo (what `npm start` runs)')
    .action(() => startCommand(config(), io, VERSION));

  addServiceCommands(program, config, io);
  return program;
}

/** `emulator` and `demo`: TikTok's look-alike, alone or with the monitor watching it. */
function addEmulatorCommands(program: Command, io: CliIo): void {
  program
    .command('emulator')
    .description(
      'serve a TikTok API for Business look-alike with fault injection (control API under /__control)',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4610')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <seed>', 'initial data: demo, empty, or a seed file (JSON)', 'demo')
    .option(
      '--scenario <scenario>',
      `a timeline of faults to play: ${SHIPPED_SCENARIOS.join(', ')}, or a scenario file (JSON)`,
    )
    .option('--speed <factor>', 'run the emulator clock this many times faster than real time', '1')
    .addOption(
      new Option('--tier <tier>', 'rate tier of the seeded apps')
        .choices(['basic', 'advanced', 'premium', 'ultimate', 'none'])
        .default('basic'),
    )
    .action((options: EmulatorCommandOptions) => emulatorCommand(options, io));

  program
    .command('demo')
    .description('watch the monitor handle a scenario against the built-in emulator, on an accelerated clock')
    .option(
      '--scenario <scenario>',
      `what happens: ${SHIPPED_SCENARIOS.join(', ')}, or a scenario file (JSON)`,
      'demo',
    )
    .option('--until-done', 'stop once the scenario has played out and print a report')
    .option('--json', 'with --until-done: the report as one JSON object on the last line')
    .option('--speed <factor>', 'clock speed (emulator and monitor)', '10')
    .option('--port <port>', 'port for the service (0 picks a free one)', '0')
    .action((options: DemoCommandOptions) => demoCommand(options, io));
}
