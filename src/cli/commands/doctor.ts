import { existsSync } from 'node:fs';
import { type Config, describeConfig } from '../../config/index.ts';
import type { CliIo } from '../io.ts';

/** Options of `adwarden doctor`. */
export interface DoctorOptions {
  json?: boolean;
}

/** `adwarden doctor`: the effective configuration with secrets redacted, and what it implies. */
export function doctorCommand(config: Config, options: DoctorOptions, io: CliIo, version: string): void {
  const report = {
    version,
    node: process.version,
    config: describeConfig(config),
    dataDirExists: existsSync(config.dataDir),
  };
  if (options.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const lines = [
    `adwarden ${version} on Node.js ${process.version}`,
    '',
    `mode: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded (PGlite in ${config.dataDir}${report.dataDirExists ? '' : ', not created yet'})`}`,
    `TikTok app: ${config.tiktok ? `${config.tiktok.appId} (${config.tiktok.environment}, ${config.tiktok.rateTier} tier)` : 'none configured: `npm start` runs the demo against the built-in emulator'}`,
    '',
    'Effective configuration (secrets redacted):',
    ...JSON.stringify(report.config, null, 2)
      .split('\n')
      .map((line) => `  ${line}`),
  ];
  if (config.warnings.length > 0) lines.push('', 'Warnings:', ...config.warnings.map((w) => `  - ${w}`));
  io.stdout(`${lines.join('\n')}\n`);
}
