import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../config/index.ts';
import { PROBLEMS } from '../incidents/index.ts';
import { appsCommands, connectionsCommands, keysCommands } from './commands/manage.ts';
import { incidentsCommands, usersCommands } from './commands/manage-incidents.ts';
import { migrateCommand } from './commands/migrate.ts';
import { serveCommand } from './commands/serve.ts';
import { workerCommand } from './commands/worker.ts';
import type { CliIo } from './io.ts';

const json = ['--json', 'print JSON'] as const;

/** `serve`, `migrate`, `apps`, `connections` and `keys`: the service and what manages it. */
export function addServiceCommands(program: Command, config: () => Config, io: CliIo): void {
  program
    .command('serve')
    .description(
      'start the HTTP service: health, connect/re-auth routes and the JSON API (never seeds demo data)',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one); default ADWARDEN_PORT or 7420')
    .option('--no-worker', 'do not run the monitor workers in this process (run adwarden worker instead)')
    .action((options: { port?: string; worker?: boolean }) => {
      if (options.port !== undefined && !/^\d{1,5}$/.test(options.port)) {
        program.error(`error: --port must be a number from 0 to 65535, got "${options.port}"`, {
          exitCode: 2,
        });
      }
      return serveCommand(config(), options, io);
    });

  program
    .command('worker')
    .description(
      'run only the monitor workers (sweeps, campaign watch, notifications); any number share one PostgreSQL',
    )
    .action(() => workerCommand(config(), io));

  program
    .command('migrate')
    .description('bring the database schema up to date (serve also does this at start)')
    .option(...json)
    .action((options: { json?: boolean }) => migrateCommand(config(), options, io));

  addConnectionCommands(program, config, io);
  addIncidentAndKeyCommands(program, config, io);
}

/** `apps` and `connections`. */
function addConnectionCommands(program: Command, config: () => Config, io: CliIo): void {
  const apps = program.command('apps').description('TikTok developer apps adwarden connects through');
  apps
    .command('add')
    .description('register an app, or update it (e.g. a rotated secret)')
    .requiredOption('--app-id <id>', "the app id from TikTok's developer portal")
    .requiredOption(
      '--secret <secret>',
      'the app secret, or - to read it from standard input (keeps it out of shell history)',
    )
    .option('--name <name>', 'a name for people')
    .addOption(
      new Option('--environment <environment>', 'production or sandbox').choices(['production', 'sandbox']),
    )
    .option('--base-url <url>', "API base URL (default: TikTok's for the environment)")
    .option('--redirect-uri <url>', 'OAuth redirect URI (default: <public URL>/oauth/tiktok/callback)')
    .addOption(
      new Option('--rate-tier <tier>', "the app's rate tier").choices([
        'basic',
        'advanced',
        'premium',
        'ultimate',
      ]),
    )
    .option(...json)
    .action((options) => appsCommands.add(config(), options, io));
  apps
    .command('list')
    .description('list registered apps')
    .option(...json)
    .action((o) => appsCommands.list(config(), o, io));
  apps
    .command('show')
    .argument('<app-id>')
    .description('show one app')
    .option(...json)
    .action((id: string, o) => appsCommands.show(config(), id, o, io));

  const connections = program
    .command('connections')
    .description('authorized advertisers and TikTok accounts');
  connections
    .command('list')
    .description('id, status, app, advertisers, regime, expiries, last check')
    .option(...json)
    .action((o) => connectionsCommands.list(config(), o, io));
  const byId = [
    ['show', 'advertisers, tokens (dates only) and parked calls', connectionsCommands.show],
    ['check', 'verify the token now, live, and say what is wrong', connectionsCommands.check],
    [
      'reauth-link',
      'print a link for the owner to authorize again (repairs this same connection)',
      connectionsCommands.reauthLink,
    ],
    ['revoke', 'revoke the token at TikTok and mark the connection revoked', connectionsCommands.revoke],
    ['history', 'everything that happened to the connection', connectionsCommands.history],
  ] as const;
  for (const [name, description, run] of byId) {
    connections
      .command(name)
      .argument('<id>', 'connection id (see connections list)')
      .description(description)
      .option(...json)
      .action((id: string, o) => run(config(), id, o, io));
  }
}

/** `incidents`, `users` and `keys`. */
function addIncidentAndKeyCommands(program: Command, config: () => Config, io: CliIo): void {
  const incidents = program.command('incidents').description('problems adwarden found, with their fixes');
  incidents
    .command('list')
    .description('active incidents (or --state resolved, muted, …)')
    .option(
      '--state <states>',
      'comma-separated: open, acknowledged, muted, resolved (or all)',
      parseStates,
      'open,acknowledged',
    )
    .option('--kind <problem>', `one of: ${PROBLEMS.join(', ')}`, parseKind)
    .option('--client <id>', "one client's incidents (see GET /api/v1/clients)")
    .option('--search <words>', 'words in the summary or the subject')
    .option('--limit <n>', 'at most this many (1–500)', parseLimit, 100)
    .option(...json)
    .action((o) => incidentsCommands.list(config(), o, io));
  incidents
    .command('show')
    .argument('<id>', 'incident id (see incidents list)')
    .description('what is wrong, what to do, what adwarden did, and the timeline')
    .option(...json)
    .action((id: string, o) => incidentsCommands.show(config(), id, o, io));
  for (const [name, action, description] of [
    ['ack', 'acknowledge', 'acknowledge: someone is on it'],
    ['resolve', 'resolve', 'resolve by hand (it reopens if the problem comes back)'],
    ['mute', 'mute', 'mute: no more notifications for it'],
    ['reopen', 'reopen', 'reopen a resolved incident'],
  ] as const)
    incidents
      .command(name)
      .argument('<id>', 'incident id')
      .description(description)
      .option('--note <text>', 'a note for the timeline (resolve)')
      .option(...json)
      .action((id: string, o) => incidentsCommands.command(config(), action, id, o, io));

  const users = program.command('users').description('dashboard users');
  users
    .command('login-link')
    .description('a one-time sign-in link to the dashboard (15 minutes)')
    .option('--email <email>', 'whose link (default: the first admin)')
    .option(...json)
    .action((o) => usersCommands.loginLink(config(), o, io));

  const keys = program.command('keys').description('the keys that seal tokens and secrets at rest');
  keys
    .command('rotate')
    .description('re-seal every secret with a new key; an interrupted rotation resumes')
    .option(...json)
    .action((o) => keysCommands.rotate(config(), o, io));
  keys
    .command('status')
    .description('active key and what each key seals')
    .option(...json)
    .action((o) => keysCommands.status(config(), o, io));
}

const STATES = ['open', 'acknowledged', 'muted', 'resolved'];

/** `--state open,resolved` (or `all`); anything else is a usage error (exit 2). */
function parseStates(value: string): string {
  if (value === 'all') return STATES.join(',');
  const states = value.split(',').map((s) => s.trim());
  const bad = states.filter((s) => !STATES.includes(s));
  if (bad.length > 0 || states.length === 0)
    throw new InvalidArgumentError(
      `${bad.join(', ') || '(empty)'} is not a state; use ${STATES.join(', ')} or all`,
    );
  return states.join(',');
}

function parseKind(value: string): string {
  if (!(PROBLEMS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`${value} is not a kind of incident; use one of ${PROBLEMS.join(', ')}`);
  return value;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500)
    throw new InvalidArgumentError('use a whole number from 1 to 500');
  return n;
}
