import type { ApiRoute, CallContext } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { jsonArrayParam } from '../params.ts';
import type { EmulatedAdvertiser } from '../state.ts';

const DEFAULT_FIELDS = [
  'advertiser_id',
  'name',
  'status',
  'role',
  'currency',
  'timezone',
  'balance',
  'owner_bc_id',
  'company',
  'create_time',
];

/** The advertiser the call names, checked against the token: granted, existing, permission not withdrawn. */
export function authorizedAdvertiser(
  context: CallContext,
  advertiserId: string,
  method: string,
  path: string,
): EmulatedAdvertiser {
  const advertiser = context.state.advertisers.get(advertiserId);
  if (!advertiser || advertiser.deleted)
    throw new ApiFailure(40001, `The advertiser ${advertiserId} doesn't exist or has been deleted.`);
  if (!context.token!.advertiserIds.includes(advertiserId))
    throw new ApiFailure(40001, `No permission to operate advertiser ${advertiserId}.`);
  if (context.state.withdrawnPermissions.has(`${advertiserId} ${path}:${method}`)) {
    throw new ApiFailure(40001, `advertiser does not grant you ${path}:${method} permission`);
  }
  return advertiser;
}

function view(a: EmulatedAdvertiser): Record<string, unknown> {
  return {
    advertiser_id: a.advertiserId,
    name: a.name,
    status: a.status,
    role: a.role,
    currency: a.currency,
    timezone: a.timezone,
    display_timezone: a.timezone,
    balance: a.balance,
    owner_bc_id: a.ownerBcId ?? '',
    company: a.company,
    rejection_reason: a.status === 'STATUS_CONFIRM_FAIL' ? 'Qualification review failed' : '',
    create_time: Math.floor(a.createTime / 1000),
    advertiser_account_type: 'AUCTION',
  };
}

/** Account information, at most 100 advertisers per call. */
export const ADVERTISER_ROUTES: ApiRoute[] = [
  {
    method: 'GET',
    path: '/advertiser/info/',
    auth: 'token',
    sandbox: false,
    handle(context) {
      const ids = jsonArrayParam(context.query, 'advertiser_ids', { required: true })!;
      if (ids.length > 100) throw new ApiFailure(40011, 'advertiser_ids: Longer than maximum length 100.');
      const fields = jsonArrayParam(context.query, 'fields') ?? DEFAULT_FIELDS;
      const list = ids.map((id) => {
        const full = view(authorizedAdvertiser(context, id, 'GET', '/advertiser/info/'));
        return Object.fromEntries(
          Object.entries(full).filter(([key]) => key === 'advertiser_id' || fields.includes(key)),
        );
      });
      return { list };
    },
  },
];
