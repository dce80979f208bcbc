import type { SealedValuesStore } from '../../db/index.ts';
import type { KeyRingSource } from '../../vault/index.ts';
import { resealAll } from '../../vault/index.ts';

/** `adwarden keys rotate`: a new active key, every secret re-sealed, old keys dropped at the end. */
export function keyRotation(deps: { sealed: SealedValuesStore; source: KeyRingSource; onRing: () => void }) {
  const store = () => deps.sealed;
  return {
    async status() {
      return {
        active_key: deps.source.ring().activeKeyId,
        keys: deps.source.ring().keyIds,
        sealed_by_key: await store().countByKey(),
        source: deps.source.description,
      };
    },
    /**
     * Rotates. `stopAfter` (tests) interrupts after that many values, as a crash would.
     * @throws Error from the store or vault; the rotation resumes on the next run.
     */
    async rotate(options: { stopAfter?: number } = {}) {
      const { ring, started } = deps.source.beginRotation();
      deps.onRing();
      let budget = options.stopAfter ?? Number.POSITIVE_INFINITY;
      const storage = {
        notSealedWith: (keyId: string, limit: number) => store().notSealedWith(keyId, limit),
        async swap(value: Parameters<SealedValuesStore['swap']>[0], resealed: string) {
          if (budget-- <= 0) throw new Error('rotation interrupted (test)');
          return store().swap(value, resealed);
        },
      };
      const report = await resealAll(ring, storage, { batchSize: 100 });
      const remaining = await store().notSealedWith(ring.activeKeyId, 1);
      let retired: string[] = [];
      if (remaining.length === 0) {
        retired = ring.keyIds.filter((id) => id !== ring.activeKeyId);
        deps.source.finishRotation();
        deps.onRing();
      }
      return {
        started_new_key: started,
        resumed: !started && ring.keyIds.length > 1,
        active_key: report.activeKeyId,
        resealed: report.resealed,
        retired_keys: retired,
        source: deps.source.description,
      };
    },
  };
}

export type KeyRotation = ReturnType<typeof keyRotation>;
