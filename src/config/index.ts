export type { Config, RateTier } from './config.ts';
export { ConfigError, type ConfigProblem, isConfigError } from './config-error.ts';
export { describeConfig, redactUrl } from './describe-config.ts';
export { formatDuration, parseDuration } from './duration.ts';
export { type ConfigOverrides, type LoadConfigOptions, loadConfig } from './load-config.ts';
export { SETTINGS, type SettingSource } from './settings.ts';
