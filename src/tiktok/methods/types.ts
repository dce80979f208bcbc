/** An advertiser as `/advertiser/info/` describes it (TikTok's field names). */
export interface AdvertiserInfo {
  advertiser_id: string;
  name?: string;
  status?: string;
  role?: string;
  currency?: string;
  timezone?: string;
  balance?: number;
  owner_bc_id?: string;
  company?: string;
  create_time?: number;
  [field: string]: unknown;
}

/** One page of a listing. */
export interface Page<T> {
  list: T[];
  page_info: { page: number; page_size: number; total_number: number; total_page: number };
}

/** A campaign, ad group or ad from the `/…/get/` endpoints. */
export interface DeliveryObject {
  advertiser_id: string;
  operation_status?: string;
  secondary_status?: string;
  [field: string]: unknown;
}

/** A video from `/file/video/ad/info/` or the upload answer. */
export interface VideoInfo {
  video_id: string;
  displayable?: boolean;
  signature?: string;
  file_name?: string;
  width?: number;
  height?: number;
  duration?: number;
  size?: number;
  video_cover_url?: string;
  [field: string]: unknown;
}

/** A report row. */
export interface ReportRow {
  dimensions: Record<string, string>;
  metrics: Record<string, string>;
}
