import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, list, object, startEmulator } from './helpers.ts';

let t: Awaited<ReturnType<typeof startEmulator>>;
let token: string;
let advertiserId: string;

beforeAll(async () => {
  t = await startEmulator();
  token = t.productionToken.access_token;
  advertiserId = t.productionToken.advertiser_ids[0]!;
});
afterAll(() => t.emulator.close());

const ID = /^\d{19}$/;

describe('emulator: campaigns, ad groups and ads', () => {
  it('lists campaigns with string ids, statuses and page_info', async () => {
    const { body } = await t.get(`/campaign/get/?advertiser_id=${advertiserId}&page_size=1000`, token);
    expect(body.code).toBe(0);
    const { list: campaigns, page_info } = body.data;
    expect(campaigns.length).toBeGreaterThanOrEqual(2);
    expect(page_info).toEqual({ page: 1, page_size: 1000, total_number: campaigns.length, total_page: 1 });
    for (const campaign of campaigns) {
      expect(campaign.campaign_id).toMatch(ID);
      expect(campaign.advertiser_id).toBe(advertiserId);
      expect(campaign.campaign_name).toContain(' | ');
      expect(['ENABLE', 'DISABLE']).toContain(campaign.operation_status);
      expect(campaign.secondary_status).toMatch(/^CAMPAIGN_STATUS_/);
      expect(campaign.modify_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
  });

  it('pages ad groups and ads, filters by parent ids, and trims to the requested fields', async () => {
    const campaigns = (await t.get(`/campaign/get/?advertiser_id=${advertiserId}&page_size=1000`, token)).body
      .data.list;
    const campaignId = campaigns[0].campaign_id;
    const groups = (
      await t.get(
        `/adgroup/get/?advertiser_id=${advertiserId}&filtering=${object({ campaign_ids: [campaignId] })}`,
        token,
      )
    ).body.data.list;
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.every((g: Json) => g.campaign_id === campaignId && ID.test(g.adgroup_id))).toBe(true);

    const all = (await t.get(`/ad/get/?advertiser_id=${advertiserId}&page_size=1000`, token)).body.data;
    const firstPage = (await t.get(`/ad/get/?advertiser_id=${advertiserId}&page_size=2&page=1`, token)).body
      .data;
    expect(firstPage.list).toHaveLength(Math.min(2, all.list.length));
    expect(firstPage.page_info.total_number).toBe(all.list.length);
    expect(firstPage.page_info.total_page).toBe(Math.ceil(all.list.length / 2));

    const trimmed = (
      await t.get(`/ad/get/?advertiser_id=${advertiserId}&fields=${list(['secondary_status'])}`, token)
    ).body.data.list[0];
    expect(Object.keys(trimmed).sort()).toEqual(['ad_id', 'secondary_status']);
  });

  it('filters by primary status, secondary status and buying type', async () => {
    const inReview = await t.get(
      `/ad/get/?advertiser_id=${advertiserId}&page_size=1000&filtering=${object({ secondary_status: 'AD_STATUS_AUDIT' })}`,
      token,
    );
    expect(inReview.body.data.list.every((ad: Json) => ad.secondary_status === 'AD_STATUS_AUDIT')).toBe(true);
    const paused = await t.get(
      `/campaign/get/?advertiser_id=${advertiserId}&filtering=${object({ primary_status: 'STATUS_DISABLE' })}`,
      token,
    );
    expect(paused.body.data.list.every((c: Json) => c.operation_status === 'DISABLE')).toBe(true);
    const reservation = await t.get(
      `/campaign/get/?advertiser_id=${advertiserId}&filtering=${object({ buying_types: ['RESERVATION_TOP_VIEW'] })}`,
      token,
    );
    expect(reservation.body.data.list).toEqual([]);
  });

  it('answers bad paging and filtering with 40002 and a foreign advertiser with 40001', async () => {
    expect((await t.get(`/ad/get/?advertiser_id=${advertiserId}&page_size=1001`, token)).body.code).toBe(
      40002,
    );
    expect((await t.get(`/ad/get/?advertiser_id=${advertiserId}&page=0`, token)).body.code).toBe(40002);
    expect((await t.get(`/ad/get/?advertiser_id=${advertiserId}&filtering={oops`, token)).body.code).toBe(
      40002,
    );
    expect((await t.get('/campaign/get/', token)).body.code).toBe(40002);
    const foreign = t.world.advertisers.find(
      (a) => !t.productionToken.advertiser_ids.includes(a.advertiser_id),
    )!;
    const denied = await t.get(`/campaign/get/?advertiser_id=${foreign.advertiser_id}`, token);
    expect(denied.body.code).toBe(40001);
  });
});

describe('emulator: reports', () => {
  const base = (level: string, dimensions: string[], metrics: string[], extra = '') =>
    `/report/integrated/get/?advertiser_id=${advertiserId}&report_type=BASIC&service_type=AUCTION&data_level=${level}&dimensions=${list(dimensions)}&metrics=${list(metrics)}&page_size=1000${extra}`;
  const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);

  it('answers daily rows with string metrics that add up across levels', async () => {
    const range = `&start_date=${day(7)}&end_date=${day(1)}`;
    const byDay = (
      await t.get(
        base('AUCTION_ADVERTISER', ['advertiser_id', 'stat_time_day'], ['spend', 'impressions', 'ctr']) +
          range,
        token,
      )
    ).body;
    expect(byDay.code).toBe(0);
    expect(byDay.data.list).toHaveLength(7);
    const row = byDay.data.list[0];
    expect(row.dimensions.stat_time_day).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00$/);
    expect(typeof row.metrics.spend).toBe('string');
    expect(typeof row.metrics.impressions).toBe('string');

    const byCampaign = (
      await t.get(base('AUCTION_CAMPAIGN', ['campaign_id'], ['spend', 'impressions']) + range, token)
    ).body.data.list;
    const sum = (rows: Json[], metric: string) =>
      rows.reduce((total, r) => total + Number(r.metrics[metric]), 0);
    expect(sum(byCampaign, 'impressions')).toBe(sum(byDay.data.list, 'impressions'));
    expect(sum(byCampaign, 'spend')).toBeCloseTo(sum(byDay.data.list, 'spend'), 1);

    const again = (
      await t.get(
        base('AUCTION_ADVERTISER', ['advertiser_id', 'stat_time_day'], ['spend', 'impressions', 'ctr']) +
          range,
        token,
      )
    ).body.data.list;
    expect(again).toEqual(byDay.data.list);
  });

  it('uses "-" where a ratio has no value and refuses what TikTok refuses', async () => {
    const future = (
      await t.get(
        base(
          'AUCTION_ADVERTISER',
          ['advertiser_id'],
          ['cpc', 'spend'],
          `&start_date=${day(-3)}&end_date=${day(-5)}`,
        ),
        token,
      )
    ).body.data.list[0];
    expect(future.metrics).toEqual({ cpc: '-', spend: '0.00' });
    const tooLong = await t.get(
      base(
        'AUCTION_ADVERTISER',
        ['advertiser_id', 'stat_time_day'],
        ['spend'],
        `&start_date=${day(40)}&end_date=${day(1)}`,
      ),
      token,
    );
    expect(tooLong.body.code).toBe(40002);
    const audience = await t.get(
      base('AUCTION_AD', ['ad_id'], ['spend']).replace('BASIC', 'AUDIENCE'),
      token,
    );
    expect(audience.body.code).toBe(40002);
    const missingDimension = await t.get(
      base('AUCTION_AD', ['campaign_id'], ['spend'], `&start_date=${day(2)}&end_date=${day(1)}`),
      token,
    );
    expect(missingDimension.body.code).toBe(40002);
    const badMetric = await t.get(
      base('AUCTION_AD', ['ad_id'], ['sales'], `&start_date=${day(2)}&end_date=${day(1)}`),
      token,
    );
    expect(badMetric.body.message).toContain('sales');
  });
});

describe('emulator: Business Centers and the authorizing user', () => {
  it('lists the Business Centers the token can see, with roles', async () => {
    const { body } = await t.get('/bc/get/', token);
    expect(body.code).toBe(0);
    expect(body.data.list.length).toBeGreaterThan(0);
    expect(body.data.list[0]).toMatchObject({
      bc_info: { bc_id: expect.stringMatching(ID), name: expect.any(String) },
      user_role: 'ADMIN',
    });
    expect((await t.get('/bc/get/?page_size=51', token)).body.code).toBe(40002);
  });

  it('describes the person behind a token with a masked email', async () => {
    const { body } = await t.get('/user/info/', token);
    expect(body.code).toBe(0);
    expect(body.data).toMatchObject({
      core_user_id: expect.stringMatching(/^\d+$/),
      display_name: expect.any(String),
      email: expect.stringMatching(/^\w\*\*\*\w@/),
    });
  });
});
