import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, list, startEmulator } from './helpers.ts';

let t: Awaited<ReturnType<typeof startEmulator>>;
let token: string;
let advertiserId: string;
let adgroupId: string;
let fileCounter = 0;

beforeAll(async () => {
  t = await startEmulator({ videoProcessingMs: 30_000 });
  token = t.productionToken.access_token;
  advertiserId = t.productionToken.advertiser_ids[0]!;
  adgroupId = (await t.get(`/adgroup/get/?advertiser_id=${advertiserId}`, token)).body.data.list[0]
    .adgroup_id;
});
afterAll(() => t.emulator.close());

async function uploadFile(bytes: Buffer, options: { signature?: string; fileName?: string } = {}) {
  const form = new FormData();
  form.set('advertiser_id', advertiserId);
  form.set('upload_type', 'UPLOAD_BY_FILE');
  form.set('video_signature', options.signature ?? createHash('md5').update(bytes).digest('hex'));
  form.set('file_name', options.fileName ?? `clip-${++fileCounter}.mp4`);
  form.set('video_file', new Blob([new Uint8Array(bytes)], { type: 'video/mp4' }), 'clip.mp4');
  const response = await fetch(`${t.emulator.url}/file/video/ad/upload/`, {
    method: 'POST',
    headers: { 'Access-Token': token },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const info = async (ids: string[]) =>
  (await t.get(`/file/video/ad/info/?advertiser_id=${advertiserId}&video_ids=${list(ids)}`, token)).body;

const createAd = (videoId: string, name = 'Launch ad') =>
  t.post(
    '/ad/create/',
    {
      advertiser_id: advertiserId,
      adgroup_id: adgroupId,
      creatives: [{ ad_name: name, video_id: videoId, ad_text: 'New drop', call_to_action: 'SHOP_NOW' }],
    },
    token,
  );

describe('emulator: video upload and processing', () => {
  it('accepts a multipart upload whose MD5 matches and lists the video only once transcoded', async () => {
    const bytes = Buffer.from('fake mp4 bytes '.repeat(100));
    const upload = await uploadFile(bytes);
    expect(upload.status).toBe(200);
    expect(upload.body.code).toBe(0);
    const [video] = upload.body.data;
    expect(video.video_id).toMatch(/^v10033g50000\w{20}$/);
    expect(video.signature).toBe(createHash('md5').update(bytes).digest('hex'));
    expect(video.size).toBe(bytes.length);

    expect((await info([video.video_id])).data.list).toEqual([]);
    expect((await createAd(video.video_id)).body.code).toBe(40901);

    await t.emulator.control.advanceClock(30_000);
    const listed = (await info([video.video_id])).data.list;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ video_id: video.video_id, displayable: true, format: 'mp4' });
    expect(listed[0].video_cover_url).toMatch(/^http/);

    const created = await createAd(video.video_id);
    expect(created.body.code).toBe(0);
    const [adId] = created.body.data.ad_ids;
    const ad = async () =>
      (
        await t.get(
          `/ad/get/?advertiser_id=${advertiserId}&filtering=${encodeURIComponent(JSON.stringify({ ad_ids: [adId] }))}`,
          token,
        )
      ).body.data.list[0];
    expect((await ad()).secondary_status).toBe('AD_STATUS_AUDIT');
    await t.emulator.control.advanceClock(60_000);
    expect((await ad()).secondary_status).toBe('AD_STATUS_DELIVERY_OK');
  });

  it('answers a wrong signature with 40900, a duplicate name with 40911, a missing file with 40905', async () => {
    expect((await uploadFile(Buffer.from('abc'), { signature: '0'.repeat(32) })).body.code).toBe(40900);
    await uploadFile(Buffer.from('first'), { fileName: 'same-name.mp4' });
    expect((await uploadFile(Buffer.from('second'), { fileName: 'same-name.mp4' })).body.code).toBe(40911);
    const noFile = await t.post(
      '/file/video/ad/upload/',
      { advertiser_id: advertiserId, video_signature: 'x' },
      token,
    );
    expect(noFile.body.code).toBe(40905);
  });

  it('uploads by URL (JSON body) and refuses an unknown upload type', async () => {
    const byUrl = await t.post(
      '/file/video/ad/upload/',
      {
        advertiser_id: advertiserId,
        upload_type: 'UPLOAD_BY_URL',
        video_url: 'https://cdn.example.com/spring.mp4',
      },
      token,
    );
    expect(byUrl.body.code).toBe(0);
    // TikTok fetches the URL later: the answer holds only the id; the name shows once it is transcoded.
    expect(byUrl.body.data).toEqual([{ video_id: expect.any(String) }]);
    await t.emulator.control.advanceClock(60_000);
    const info = await t.get(
      `/file/video/ad/info/?advertiser_id=${advertiserId}&video_ids=${list([byUrl.body.data[0].video_id])}`,
      token,
    );
    expect(info.body.data.list[0].file_name).toBe('spring.mp4');
    const byFileId = await t.post(
      '/file/video/ad/upload/',
      { advertiser_id: advertiserId, upload_type: 'UPLOAD_BY_FILE_ID', file_id: '1' },
      token,
    );
    expect(byFileId.body.code).toBe(40002);
  });

  it('never lists a video whose transcoding failed, and ad/create answers 40053', async () => {
    await t.emulator.control.fault({ type: 'videoProcessing', fail: true });
    const [video] = (await uploadFile(Buffer.from('doomed'))).body.data;
    await t.emulator.control.advanceClock(120_000);
    expect((await info([video.video_id])).data.list).toEqual([]);
    expect((await createAd(video.video_id)).body.code).toBe(40053);
    await t.emulator.control.fault({ type: 'videoProcessing', fail: false });
  });

  it('takes at most 60 ids per info call', async () => {
    const ids = Array.from({ length: 61 }, (_, i) => `v${i}`);
    expect((await info(ids)).code).toBe(40011);
    expect((await info(ids.slice(0, 60))).code).toBe(0);
  });

  it('marks the ads of a video that fails later as TRANSCODING_FAIL', async () => {
    const ads = (await t.get(`/ad/get/?advertiser_id=${advertiserId}&page_size=1000`, token)).body.data.list;
    const victim = ads.find((ad: Json) => ad.video_id && ad.secondary_status === 'AD_STATUS_DELIVERY_OK');
    await t.emulator.control.fault({ type: 'failVideo', videoId: victim.video_id });
    const after = (await t.get(`/ad/get/?advertiser_id=${advertiserId}&page_size=1000`, token)).body.data
      .list;
    expect(after.find((ad: Json) => ad.ad_id === victim.ad_id).secondary_status).toBe(
      'AD_STATUS_TRANSCODING_FAIL',
    );
    const groups = (await t.get(`/adgroup/get/?advertiser_id=${advertiserId}&page_size=1000`, token)).body
      .data.list;
    expect(groups.find((g: Json) => g.adgroup_id === victim.adgroup_id).secondary_status).toBe(
      'ADGROUP_STATUS_TRANSCODING_FAIL',
    );
  });
});
