import type { KeyRing, SealContext } from './key-ring.ts';

/** A sealed value in storage, as rotation sees it. */
export interface StoredSealedValue extends SealContext {
  sealed: string;
}

/** The storage rotation works on. */
export interface SealedValueStorage {
  notSealedWith(keyId: string, limit: number): Promise<StoredSealedValue[]>;
  /** Replaces `value.sealed` with `resealed` if it has not changed meanwhile. */
  swap(value: StoredSealedValue, resealed: string): Promise<boolean>;
}

/** What a rotation did. */
export interface RotationReport {
  activeKeyId: string;
  resealed: number;
  /** Values changed by someone else meanwhile (they were sealed with the active key anyway). */
  skipped: number;
}

/**
 * Re-seals every value not sealed with the ring's active key, in batches. Safe to interrupt: each
 * value is swapped on its own, old keys keep opening what is left, and running it again resumes.
 * `onProgress` is called after each batch.
 */
export async function resealAll(
  ring: KeyRing,
  storage: SealedValueStorage,
  options: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 200;
  let resealed = 0;
  let skipped = 0;
  const seen = new Set<string>();
  for (;;) {
    const batch = (await storage.notSealedWith(ring.activeKeyId, batchSize)).filter(
      (v) => !seen.has(`${v.table}|${v.rowId}|${v.purpose}|${v.sealed}`),
    );
    if (batch.length === 0) break;
    for (const value of batch) {
      seen.add(`${value.table}|${value.rowId}|${value.purpose}|${value.sealed}`);
      const plain = ring.open(value.sealed, value);
      if (await storage.swap(value, ring.seal(plain, value))) resealed++;
      else skipped++;
    }
    options.onProgress?.(resealed);
  }
  return { activeKeyId: ring.activeKeyId, resealed, skipped };
}
