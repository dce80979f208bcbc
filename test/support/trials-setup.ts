import { writeReliabilityDoc } from '../../scripts/render-reliability.ts';

/** vitest global setup of the fault, security and soak projects: docs/reliability.md is rewritten when they end. */
export default function setup() {
  return () => writeReliabilityDoc();
}
