import { DEFAULT_OUTAGE_POLICY, type OutagePolicy } from '../../incidents/index.ts';
import {
  type BlindSpotPolicy,
  DEFAULT_BLIND_SPOT_POLICY,
  DEFAULT_SWEEP_POLICY,
  type ExpiryPolicy,
  type SweepPolicy,
} from '../../monitor/index.ts';

/** The monitor's tunables, resolved from the configuration. */
export interface MonitorSettings {
  sweep: SweepPolicy;
  watchIntervalMs: number;
  expiry: ExpiryPolicy;
  outage: OutagePolicy;
  /** When rate limits that hide a connection from the monitor become an incident. */
  blindSpot: BlindSpotPolicy;
  /** Check history older than this is deleted daily. @default 30 days */
  retentionMs: number;
}

/** Defaults for everything but what the configuration sets. */
export function monitorSettings(config: {
  sweepIntervalMs: number;
  campaignWatchIntervalMs: number;
  expiryReminderLeadMs: number;
  maxTokenAgeMs: number | null;
  checkRetentionMs: number;
}): MonitorSettings {
  return {
    sweep: { ...DEFAULT_SWEEP_POLICY, intervalMs: config.sweepIntervalMs },
    watchIntervalMs: config.campaignWatchIntervalMs,
    expiry: {
      reminderLeadMs: config.expiryReminderLeadMs,
      refreshLeadMs: 2 * 3_600_000,
      maxTokenAgeMs: config.maxTokenAgeMs,
    },
    outage: DEFAULT_OUTAGE_POLICY,
    blindSpot: DEFAULT_BLIND_SPOT_POLICY,
    retentionMs: config.checkRetentionMs,
  };
}
