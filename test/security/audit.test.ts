import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { trial } from '../support/trials.ts';

const ROOT = new URL('../../', import.meta.url);
const EXCEPTIONS = JSON.parse(readFileSync(new URL('reliability/audit-exceptions.json', ROOT), 'utf8')) as {
  exceptions: Array<{ advisory: string; package: string; why: string }>;
};

interface AuditReport {
  statusCode?: number;
  message?: string;
  vulnerabilities?: Record<
    string,
    { via: Array<string | { url?: string; source?: number; title?: string }> }
  >;
  metadata?: { dependencies?: { prod?: number } };
}

describe('the production dependencies', () => {
  it('have no npm advisory that docs/reliability.md does not explain', async (context) => {
    const t = trial('security', {
      area: 'Dependencies',
      tried: 'npm audit --omit=dev against the registry’s advisory database',
      expected: 'no advisory, or each one explained in reliability/audit-exceptions.json',
    });
    const run = await promisify(execFile)('npm', ['audit', '--omit=dev', '--json'], {
      cwd: ROOT,
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    let report: AuditReport;
    try {
      report = JSON.parse(run.stdout) as AuditReport;
    } catch {
      report = { message: `npm audit printed no JSON: ${run.stdout.slice(0, 200)}` };
    }
    if (!report.vulnerabilities) {
      // The advisory endpoint did not answer (this machine's registry mirror refuses it): say so, do not pass.
      const reason = `the advisory endpoint did not answer: ${report.message ?? 'no report'}`;
      t.note(reason);
      context.skip(reason);
    }
    const advisories = Object.entries(report.vulnerabilities!).flatMap(([name, v]) =>
      v.via.flatMap((via) =>
        typeof via === 'object' ? [{ package: name, advisory: via.url ?? String(via.source) }] : [],
      ),
    );
    const unexplained = advisories.filter(
      (a) => !EXCEPTIONS.exceptions.some((e) => e.advisory === a.advisory && e.package === a.package),
    );
    t.times(report.metadata?.dependencies?.prod ?? 0);
    t.figures({ advisories: advisories.length, unexplained: unexplained.length });
    expect(unexplained).toEqual([]);
  });
});
