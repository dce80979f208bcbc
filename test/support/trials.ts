import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

/** The suites whose trials docs/reliability.md reports. */
export type TrialSuite = 'faults' | 'security' | 'soak';

/** Where each suite's trials are written, one JSON file per trial (scripts/render-reliability.ts reads them). */
export const TRIALS_DIR = fileURLToPath(new URL('../../reliability/results/', import.meta.url));

/** One trial as recorded: what was tried, how often, what had to hold, and whether it did. */
export interface TrialRecord {
  suite: TrialSuite;
  area: string;
  tried: string;
  expected: string;
  times: number;
  outcome: 'held' | 'failed' | 'skipped';
  figures: Record<string, unknown>;
  notes: string[];
  error?: string;
  at: string;
  seconds: number;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

/**
 * Declares the running test as a trial of `suite`; when the test ends, its record is written with the
 * outcome vitest saw (a failed assertion makes it `failed`, a skip `skipped`). Figures and notes added
 * meanwhile go into the report.
 */
export function trial(
  suite: TrialSuite,
  meta: { area: string; tried: string; expected: string; times?: number },
): {
  times(count: number): void;
  figures(values: Record<string, unknown>): void;
  note(text: string): void;
} {
  const started = Date.now();
  const record: Omit<TrialRecord, 'outcome' | 'at' | 'seconds'> = {
    suite,
    area: meta.area,
    tried: meta.tried,
    expected: meta.expected,
    times: meta.times ?? 1,
    figures: {},
    notes: [],
  };
  onTestFinished(({ task }) => {
    const state = task.result?.state;
    const outcome: TrialRecord['outcome'] =
      state === 'pass' ? 'held' : state === 'skip' ? 'skipped' : 'failed';
    const error = task.result?.errors?.[0]?.message;
    const full: TrialRecord = {
      ...record,
      outcome,
      ...(error ? { error: error.slice(0, 500) } : {}),
      at: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
    };
    const dir = join(TRIALS_DIR, suite);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${slug(`${meta.area}-${meta.tried}`)}.json`),
      `${JSON.stringify(full, null, 2)}\n`,
    );
  });
  return {
    times(count) {
      record.times = count;
    },
    figures(values) {
      Object.assign(record.figures, values);
    },
    note(text) {
      record.notes.push(text);
    },
  };
}
