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
  if (context.state.withdrawnPermissions.has(`app:${context.token!.appId} ${path}:${method}`))
    throw new ApiFailure(
      40001,
      `Permission error: The access token lacks the required scope for endpoint '${path}(method=${method})'. Please first check if the request method is correct then ask the user to generate a new access token and reauthorize your API App with the necessary API scopes.`,
    );
  if (context.state.withdrawnPermissions.has(`${advertiserId} ${path}:${method}`)) {
    throw new ApiFailure(40001, `advertiser does not grant you ${path}:${method} permission`);
  }
  return advertiser;
}

/** An advertiser as `/advertiser/info/` describes it: the fields real responses carry (fact sheet §10). */
function view(a: EmulatedAdvertiser): Record<string, unknown> {
  const slug = a.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return {
    advertiser_id: a.advertiserId,
    name: a.name,
    status: a.status,
    role: a.role,
    currency: a.currency,
    timezone: a.timezone,
    display_timezone: a.timezone,
    country: COUNTRY_OF[a.currency] ?? 'US',
    industry: '291403',
    advertiser_account_type: 'AUCTION',
    company: a.company,
    balance: a.balance,
    owner_bc_id: a.ownerBcId ?? '',
    create_time: Math.floor(a.createTime / 1000),
    rejection_reason: a.status === 'STATUS_CONFIRM_FAIL' ? 'Qualification review failed' : '',
    contacter: 'A***',
    email: `m***@${slug || 'advertiser'}.example`,
    telephone_number: '+1 555*****01',
    cellphone_number: '',
    address: `${a.company}, 1 Example Street`,
    language: 'en',
    license_no: '',
    license_url: '',
    license_city: '',
    license_province: '',
    promotion_area: '0',
    promotion_center_city: '',
    promotion_center_province: '',
    brand: a.name,
    description: '',
  };
}

const COUNTRY_OF: Record<string, string> = { USD: 'US', EUR: 'DE', GBP: 'GB', JPY: 'JP', BRL: 'BR' };

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
