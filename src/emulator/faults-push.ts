import { z } from 'zod';
import { emitPush } from './push.ts';
import type { EmulatorState } from './state.ts';

/** Faults on TikTok's push deliveries and its own status page. */
export const PUSH_FAULTS = [
  z.strictObject({
    /** How deliveries behave from now on: `lose` drops them (polling must find the change), `duplicate` sends each twice. */
    type: z.literal('pushDeliveries'),
    lose: z.boolean().optional(),
    duplicate: z.boolean().optional(),
  }),
  z.strictObject({
    /** An incident on TikTok's API status page (and an API_SERVICE_STATUS push), opened, updated or resolved. */
    type: z.literal('statusIncident'),
    id: z.string().min(1).max(64).default('tiktok-incident-1'),
    title: z.string().min(1).max(300).default('Marketing API: elevated error rates'),
    level: z.enum(['LOW_DISRUPTION', 'MAJOR_DISRUPTION']).default('MAJOR_DISRUPTION'),
    state: z.enum(['open', 'resolved']).default('open'),
  }),
] as const;

type PushFault = z.output<(typeof PUSH_FAULTS)[number]>;

/** Applies a push fault. */
export function applyPushFault(state: EmulatorState, fault: PushFault, now: number): Record<string, unknown> {
  if (fault.type === 'pushDeliveries') {
    if (fault.lose !== undefined) state.push.lose = fault.lose;
    if (fault.duplicate !== undefined) state.push.duplicate = fault.duplicate;
    return { ...state.push };
  }
  const known = state.statusIncidents.get(fault.id);
  const incident = {
    id: fault.id,
    title: fault.title,
    level: fault.level,
    state: fault.state,
    startedAt: known?.startedAt ?? now,
    updatedAt: now,
  };
  state.statusIncidents.set(fault.id, incident);
  emitPush(state, {
    entity: 'API_SERVICE_STATUS',
    advertiserId: null,
    at: now,
    content: {
      incident_id: incident.id,
      incident_title: incident.title,
      incident_level: incident.level,
      incident_event_type: fault.state === 'resolved' ? 'RESOLVE' : known ? 'UPDATE' : 'CREATE',
      product_filters: ['Marketing API'],
      update_time: Math.floor(now / 1000),
    },
  });
  return { id: incident.id, state: incident.state };
}
