import { ApiFailure } from './envelope.ts';

/** Reads a list parameter TikTok expects as a JSON-encoded array string (`advertiser_ids=["1","2"]`). */
export function jsonArrayParam(
  query: Record<string, unknown>,
  name: string,
  options: { required?: boolean } = {},
): string[] | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') {
    if (options.required) throw new ApiFailure(40002, `${name}: Missing data for required field.`);
    return undefined;
  }
  if (typeof raw !== 'string') throw new ApiFailure(40002, `${name}: Field must be set to array`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiFailure(40002, `${name}: Field must be set to array`);
  }
  if (!Array.isArray(parsed)) throw new ApiFailure(40002, `${name}: Field must be set to array`);
  return parsed.map(String);
}

/** Reads a JSON-object parameter (`filtering={"campaign_ids":[…]}`). */
export function jsonObjectParam(
  query: Record<string, unknown>,
  name: string,
): Record<string, unknown> | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {}
  throw new ApiFailure(40002, `${name}: Not a valid JSON object.`);
}

/** Reads a required string parameter. */
export function requiredString(source: Record<string, unknown>, name: string): string {
  const value = source[name];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value === '')
    throw new ApiFailure(40002, `${name}: Missing data for required field.`);
  return value;
}

/** Reads `page` (≥1) and `page_size` (1..max) with TikTok's defaults. */
export function paging(query: Record<string, unknown>, max = 1000): { page: number; pageSize: number } {
  const page = query.page === undefined ? 1 : Number(query.page);
  const pageSize = query.page_size === undefined ? 10 : Number(query.page_size);
  if (!Number.isInteger(page) || page < 1)
    throw new ApiFailure(40002, 'page: Must be greater than or equal to 1.');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > max)
    throw new ApiFailure(40002, `page_size: Must be between 1 and ${max}.`);
  return { page, pageSize };
}

/** One page of `items` and TikTok's `page_info`. */
export function pageOf<T>(items: readonly T[], page: number, pageSize: number) {
  return {
    list: items.slice((page - 1) * pageSize, page * pageSize),
    page_info: {
      page,
      page_size: pageSize,
      total_number: items.length,
      total_page: Math.ceil(items.length / pageSize),
    },
  };
}
