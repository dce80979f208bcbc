import { classify, type Diagnosis, isAuthFailure, isPermissionFailure } from '../catalog/index.ts';
import { type Refusal, refusalOf } from './permission-observation.ts';

/** A library user's failed call, as `POST /api/v1/observations` takes it. */
export interface InBandReport {
  connection_id: string;
  code?: number | string | null;
  message?: string | null;
  endpoint?: string | null;
  method?: string | null;
  advertiser_id?: string | null;
  request_id?: string | null;
}

/** What an in-band report calls for. */
export type InBandReading =
  /** An auth failure condemns nothing by itself: the connection is probed first. */
  | { action: 'verify'; diagnosis: Diagnosis }
  /** A permission refusal is a fact: its incident opens at once, on the advertiser the call named. */
  | { action: 'permission'; diagnosis: Diagnosis; refusal: Refusal; advertiserId: string | null }
  /** Anything else is recorded with its diagnosis. */
  | { action: 'record'; diagnosis: Diagnosis };

/** Reads an in-band report (pure): TikTok's code and message classified, and what to do about it. */
export function readInBand(report: InBandReport, now: number): InBandReading {
  const code =
    typeof report.code === 'string' && /^\d+$/.test(report.code) ? Number(report.code) : report.code;
  const diagnosis = classify(
    {
      code: code ?? undefined,
      message: report.message ?? undefined,
      request_id: report.request_id ?? undefined,
    },
    { now, endpoint: report.endpoint ?? undefined, advertiserId: report.advertiser_id ?? undefined },
  );
  if (isAuthFailure(diagnosis.kind)) return { action: 'verify', diagnosis };
  if (!isPermissionFailure(diagnosis.kind)) return { action: 'record', diagnosis };
  const refusal = refusalOf(diagnosis, {
    method: report.method ?? 'GET',
    endpoint: report.endpoint ?? 'an endpoint',
  });
  return {
    action: 'permission',
    diagnosis,
    refusal,
    advertiserId: diagnosis.advertiserId ?? report.advertiser_id ?? null,
  };
}
