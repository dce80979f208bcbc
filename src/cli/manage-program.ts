import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../config/index.ts';
import { PROBLEMS } from '../incidents/index.ts';
import { appsCommands, connectionsCommands, keysCommands } from './commands/manage.ts';
import { accessCommands, channelsCommands, clientsCommands } from './commands/manage-access.ts';
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

  users
    .command('list')
    .description('dashboard users and the clients each may see')
    .option(...json)
    .action((o) => accessCommands.listUsers(config(), o, io));
  users
    .command('add')
    .description('a dashboard user (then: users login-link --email …)')
    .requiredOption('--email <email>', 'their email address')
    .option('--clients <ids>', 'comma-separated client ids they may see (default: every client)')
    .option(...json)
    .action((o) => accessCommands.addUser(config(), o, io));
  addAccessCommands(program, config, io);

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

/** `channels`, `api-keys` and `clients`: what an operator sets up, from the command line. */
function addAccessCommands(program: Command, config: () => Config, io: CliIo): void {
  const channels = program.command('channels').description('where incident notifications go');
  channels
    .command('list')
    .description('every channel')
    .option(...json)
    .action((o) => channelsCommands.list(config(), o, io));
  channels
    .command('add')
    .description('add (or replace by name) a Slack, signed-webhook or email channel')
    .requiredOption('--name <name>', 'a name people recognise')
    .addOption(
      new Option('--kind <kind>', 'slack, webhook or email')
        .choices(['slack', 'webhook', 'email'])
        .makeOptionMandatory(),
    )
    .option('--endpoint <url>', 'the Slack incoming-webhook or webhook URL to send to')
    .option('--smtp-url <url>', 'email: smtp://user:pass@host:587 or smtps://…:465')
    .option('--from <address>', 'email: the sender')
    .option('--to <addresses>', 'email: comma-separated recipients (connection owners get theirs too)')
    .addOption(
      new Option('--min-severity <severity>', 'least severity sent').choices([
        'low',
        'medium',
        'high',
        'critical',
      ]),
    )
    .option('--labels <pairs>', 'only incidents of connections with these labels, e.g. client=cli_…')
    .option('--max-per-hour <n>', 'hourly cap (the rest goes into a daily digest when enabled)')
    .option(...json)
    .action((o) => channelsCommands.add(config(), o, io));
  channels
    .command('test')
    .argument('<id>', 'channel id')
    .description('send a test message now')
    .option(...json)
    .action((id: string, o) => channelsCommands.test(config(), id, o, io));
  channels
    .command('remove')
    .argument('<id>', 'channel id')
    .description('remove a channel')
    .option(...json)
    .action((id: string, o) => channelsCommands.remove(config(), id, o, io));

  const keys = program.command('api-keys').description('API keys for scripts and integrations');
  keys
    .command('list')
    .description('every API key (never their values)')
    .option(...json)
    .action((o) => accessCommands.listKeys(config(), o, io));
  keys
    .command('create')
    .description('a new API key; its value is shown once')
    .requiredOption('--name <name>', 'what it is for')
    .addOption(
      new Option('--scope <scope>', 'read, write or admin')
        .choices(['read', 'write', 'admin'])
        .default('read'),
    )
    .option(...json)
    .action((o) => accessCommands.createKey(config(), o, io));
  keys
    .command('revoke')
    .argument('<id>', 'API key id')
    .description('revoke an API key')
    .option(...json)
    .action((id: string, o) => accessCommands.revokeKey(config(), id, o, io));

  addClientCommands(program, config, io);
}

/** `clients list|add|invite`. */
function addClientCommands(program: Command, config: () => Config, io: CliIo): void {
  const clients = program
    .command('clients')
    .description("the agency's clients and their connect invitations");
  clients
    .command('list')
    .description('every client')
    .option(...json)
    .action((o) => clientsCommands.list(config(), o, io));
  clients
    .command('add')
    .description('a new client')
    .requiredOption('--name <name>', 'its name')
    .option(...json)
    .action((o) => clientsCommands.add(config(), o, io));
  clients
    .command('invite')
    .argument('<id>', 'client id (see clients list)')
    .description('a connect invitation link for the client (no adwarden account needed)')
    .option('--app <app-id>', 'the TikTok app (default: the production one)')
    .option('--days <n>', 'how long it works, 1–30 (default 7)')
    .option(...json)
    .action((id: string, o) => clientsCommands.invite(config(), id, o, io));
}
