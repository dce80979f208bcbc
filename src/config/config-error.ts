/** One invalid setting: where it came from, what is wrong, and what the setting is for. */
export interface ConfigProblem {
  /** Dotted setting key, e.g. `server.port`. */
  readonly setting: string;
  /** Where the bad value came from, e.g. `ADWARDEN_PORT (environment)`. */
  readonly source: string;
  readonly message: string;
  readonly hint?: string;
}

/**
 * Start-up configuration is invalid. Lists every problem at once.
 * `code` is `ADW_CONFIG_INVALID`, or `ADW_CONFIG_FILE_UNREADABLE` when the only problem is the file.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: 'ADW_CONFIG_INVALID' | 'ADW_CONFIG_FILE_UNREADABLE';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.source}: ${p.message}${p.hint ? `\n      (${p.hint})` : ''}`);
    super(
      `adwarden's configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.problems = problems;
    this.code = problems.every((p) => p.setting === 'configFile')
      ? 'ADW_CONFIG_FILE_UNREADABLE'
      : 'ADW_CONFIG_INVALID';
  }
}

/** True for a `ConfigError`, also across copies of the package. */
export function isConfigError(error: unknown): error is ConfigError {
  return (
    error instanceof Error && error.name === 'ConfigError' && Array.isArray((error as ConfigError).problems)
  );
}
