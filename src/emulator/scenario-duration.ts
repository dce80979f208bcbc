// The emulator ships on its own (`adwarden/emulator`): it reads scenario times without the service's config.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A scenario time: milliseconds, or a number with a unit (`'30s'`, `'2m'`, `'1.5h'`, `'359d'`); undefined when it is neither. */
export function scenarioDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(value.trim()) : null;
  return match ? Math.round(Number(match[1]) * UNIT_MS[match[2]!]!) : undefined;
}
