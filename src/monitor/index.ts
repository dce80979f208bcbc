export {
  type BlindSpotInput,
  type BlindSpotPolicy,
  blindSpotObservation,
  DEFAULT_BLIND_SPOT_POLICY,
} from './blind-spot.ts';
export { provenRecoveries, UNREACHABLE_AFTER, unreachableObservation } from './check-follow-ups.ts';
export {
  type CheckDiagnosis,
  type CheckFindings,
  type CheckOutcomeKind,
  type CheckReading,
  readCheck,
} from './check-observations.ts';
export { connectionHealth, type HealthInput, type HealthVerdict } from './connection-health.ts';
export { type DeliveryFinding, type DeliveryItem, deliveryFindings } from './delivery-findings.ts';
export {
  type ExpiryCandidate,
  type ExpiryFinding,
  type ExpiryPolicy,
  expiryFindings,
} from './expiry-findings.ts';
export { type InBandReading, type InBandReport, readInBand } from './in-band-reading.ts';
export { outageObservation } from './outage-observation.ts';
export {
  advertiserSubject,
  permissionRefused,
  permissionRestored,
  type Refusal,
  refusalOf,
} from './permission-observation.ts';
export {
  DEFAULT_SWEEP_POLICY,
  dueConnections,
  minimumSweepCalls,
  nextCheckAt,
  type SweepCandidate,
  type SweepPolicy,
} from './plan-sweep.ts';
export { readStatusFeed, type TikTokIncident, tiktokIncidentObservation } from './platform-status.ts';
export {
  ACCOUNT_STATUS_FIX,
  type PushDelivery,
  type PushRefusal,
  type PushSignal,
  pushObservation,
  readDelivery,
  verifySignature,
} from './push-signals.ts';
export {
  DEFAULT_SPEND_POLICY,
  type HourlySpend,
  instantOf,
  localDate,
  readSpend,
  type SpendPolicy,
  type SpendReading,
  spendObservation,
} from './spend-anomaly.ts';
export {
  DEFAULT_VIDEO_POLL_POLICY,
  type ListedVideo,
  readVideoPoll,
  stuckVideosSummary,
  type VideoPollPolicy,
  type VideoPollReading,
  type WatchedVideo,
} from './video-findings.ts';
