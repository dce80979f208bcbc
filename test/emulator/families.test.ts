// Smart+ and GMV Max: campaign families the classic listings leave out (fact sheet §10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, list, object, startEmulator } from './helpers.ts';

let t: Awaited<ReturnType<typeof startEmulator>>;
let token: string;
let owners: string[];

beforeAll(async () => {
  t = await startEmulator();
  token = t.productionToken.access_token;
  owners = t.productionToken.advertiser_ids;
});
afterAll(() => t.emulator.close());

const listing = async (path: string, advertiserId: string, extra = '') =>
  (await t.get(`${path}?advertiser_id=${advertiserId}&page_size=1000${extra}`, token)).body;

/** The first of the token's advertisers whose `path` lists something. */
async function ownerOf(path: string, extra = ''): Promise<{ advertiserId: string; rows: Json[] }> {
  for (const advertiserId of owners) {
    const body = await listing(path, advertiserId, extra);
    if (body.code === 0 && body.data.list.length > 0) return { advertiserId, rows: body.data.list };
  }
  throw new Error(`no advertiser of the token has ${path}`);
}

describe('Smart+', () => {
  it('lists campaigns, ad groups and ads under /smart_plus/*, and the classic listings leave them out', async () => {
    const { advertiserId, rows: campaigns } = await ownerOf('/smart_plus/campaign/get/');
    expect(campaigns[0].is_smart_performance_campaign).toBe(true);
    const classic = (await listing('/campaign/get/', advertiserId)).data.list as Json[];
    expect(classic.map((c) => c.campaign_id)).not.toContain(campaigns[0].campaign_id);
    const ads = (await listing('/smart_plus/ad/get/', advertiserId)).data.list as Json[];
    expect(ads).toHaveLength(2);
    expect(ads[0].smart_plus_ad_id).toMatch(/^\d{19}$/);
    expect(ads[0].campaign_id).toBe(campaigns[0].campaign_id);
    const classicAds = (await listing('/ad/get/', advertiserId)).data.list as Json[];
    expect(classicAds.map((a) => a.ad_id)).not.toContain(ads[0].smart_plus_ad_id);
  });

  it('review info says why an ad was rejected', async () => {
    const rejected = await t.emulator.control.fault({
      type: 'rejectAd',
      family: 'smart_plus',
      reason: 'Unverified health claim',
    });
    const advertiserId = String(rejected.advertiserId);
    const ads = (await listing('/smart_plus/ad/get/', advertiserId)).data.list as Json[];
    const ids = ads.map((a) => a.smart_plus_ad_id as string);
    expect(ads.find((a) => a.smart_plus_ad_id === rejected.adId).secondary_status).toBe(
      'AD_STATUS_AUDIT_DENY',
    );
    const review = await t.get(
      `/smart_plus/ad/review_info/?advertiser_id=${advertiserId}&smart_plus_ad_ids=${list(ids)}`,
      token,
    );
    expect(review.body.code).toBe(0);
    const byId = new Map((review.body.data.list as Json[]).map((r) => [r.smart_plus_ad_id, r]));
    expect(byId.get(rejected.adId).review_status).toBe('REJECTED');
    expect(byId.get(rejected.adId).rejection_info[0].reason).toBe('Unverified health claim');
    expect(byId.get(ids.find((id) => id !== rejected.adId)).review_status).toBe('APPROVED');
    const none = await t.get(`/smart_plus/ad/review_info/?advertiser_id=${advertiserId}`, token);
    expect(none.body.code).toBe(40002);
  });
});

describe('GMV Max', () => {
  const types = `&filtering=${object({ gmv_max_promotion_types: ['PRODUCT_GMV_MAX', 'LIVE_GMV_MAX'] })}`;

  it('lists a shop campaign under /gmv_max/campaign/get/ (promotion types required), not under /campaign/get/', async () => {
    const { advertiserId, rows } = await ownerOf('/gmv_max/campaign/get/', types);
    expect(rows[0]).toMatchObject({ gmv_max_promotion_type: 'PRODUCT_GMV_MAX', operation_status: 'ENABLE' });
    expect(rows[0].store_id).toMatch(/^\d+$/);
    const classic = (await listing('/campaign/get/', advertiserId)).data.list as Json[];
    expect(classic.map((c) => c.campaign_id)).not.toContain(rows[0].campaign_id);
    expect((await listing('/gmv_max/campaign/get/', advertiserId)).code).toBe(40002);
  });

  it('shows a campaign whose budget is spent', async () => {
    const stopped = await t.emulator.control.fault({ type: 'exceedBudget', family: 'gmv_max' });
    const rows = (await listing('/gmv_max/campaign/get/', String(stopped.advertiserId), types)).data
      .list as Json[];
    expect(rows.find((c) => c.campaign_id === stopped.id).secondary_status).toBe(
      'CAMPAIGN_STATUS_BUDGET_EXCEED',
    );
  });
});
