export {
  type CheckOutcome,
  correlateOutage,
  DEFAULT_OUTAGE_POLICY,
  type OutagePolicy,
  type OutageVerdict,
} from './correlate-outage.ts';
export { defaultSeverity, type Evaluation, evaluateIncident, fingerprintOf } from './evaluate-incident.ts';
export {
  describeAction,
  planRemediation,
  type RemediationAction,
  type RemediationTrigger,
} from './plan-remediation.ts';
export * from './types.ts';
