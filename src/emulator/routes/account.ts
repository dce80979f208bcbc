import type { ApiRoute } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { jsonObjectParam, pageOf, paging } from '../params.ts';
import { reachableAdvertisers } from '../state.ts';

/** Business Centers the token can see and the person behind it. */
export const ACCOUNT_ROUTES: ApiRoute[] = [
  {
    method: 'GET',
    path: '/bc/get/',
    auth: 'token',
    handle(context) {
      const { state, query, token } = context;
      const { page, pageSize } = paging(query, 50);
      const visible = new Set(
        reachableAdvertisers(state, token!).flatMap((a) => (a.ownerBcId ? [a.ownerBcId] : [])),
      );
      const wanted = typeof query.bc_id === 'string' ? query.bc_id : undefined;
      const filtering = jsonObjectParam(query, 'filtering') ?? {};
      const nameFilter = typeof filtering.keyword === 'string' ? filtering.keyword.toLowerCase() : undefined;
      const centers = [...state.businessCenters.values()].filter(
        (bc) =>
          visible.has(bc.bcId) &&
          (!wanted || bc.bcId === wanted) &&
          (!nameFilter || bc.name.toLowerCase().includes(nameFilter)),
      );
      if (wanted && centers.length === 0)
        throw new ApiFailure(40001, `No permission to operate Business Center ${wanted}.`);
      const result = pageOf(centers, page, pageSize);
      return {
        ...result,
        list: result.list.map((bc) => ({
          bc_info: {
            bc_id: bc.bcId,
            name: bc.name,
            company: bc.company,
            currency: bc.currency,
            timezone: bc.timezone,
            registered_area: 'US',
            type: 'NORMAL',
            status: 'ENABLE',
          },
          user_role: 'ADMIN',
          ext_user_role: { finance_role: 'MANAGER' },
          binding_status: 'BOUND',
        })),
      };
    },
  },
  {
    method: 'GET',
    path: '/user/info/',
    auth: 'token',
    handle(context) {
      const { authorizer, issuedAt } = context.token!;
      return {
        core_user_id: authorizer.coreUserId,
        display_name: authorizer.displayName,
        email: authorizer.email,
        avatar_url: `${context.baseUrl}/__media/users/${authorizer.coreUserId}.png`,
        create_time: Math.floor(issuedAt / 1000) - 400 * 86_400,
      };
    },
  },
];
