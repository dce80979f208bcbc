// TikTok's objects as its API returns them (field names as TikTok spells them). Ids are always strings:
// the transport reads ids too long for a JavaScript number as text. Fields are optional where a request's
// `fields` can leave them out; `[field: string]: unknown` keeps the rest TikTok sends reachable.

/** An advertiser as `/advertiser/info/` describes it. */
export interface AdvertiserInfo {
  advertiser_id: string;
  name?: string;
  /** `STATUS_ENABLE`, `STATUS_LIMIT`, `STATUS_DISABLE`, `STATUS_PENDING_CONFIRM`… */
  status?: string;
  role?: string;
  currency?: string;
  timezone?: string;
  display_timezone?: string;
  country?: string;
  industry?: string;
  advertiser_account_type?: string;
  company?: string;
  balance?: number;
  owner_bc_id?: string;
  /** Epoch seconds. */
  create_time?: number;
  rejection_reason?: string;
  contacter?: string;
  email?: string;
  telephone_number?: string;
  address?: string;
  language?: string;
  license_no?: string;
  brand?: string;
  [field: string]: unknown;
}

/** One page of a listing. */
export interface Page<T> {
  list: T[];
  page_info: { page: number; page_size: number; total_number: number; total_page: number };
}

/** What campaigns, ad groups and ads share. Times are "YYYY-MM-DD HH:MM:SS" (UTC). */
export interface DeliveryObject {
  advertiser_id: string;
  campaign_id?: string;
  campaign_name?: string;
  /** `ENABLE`, `DISABLE`, `DELETE`… */
  operation_status?: string;
  /** What stops or allows delivery: `CAMPAIGN_STATUS_BUDGET_EXCEED`, `AD_STATUS_AUDIT_DENY`… */
  secondary_status?: string;
  create_time?: string;
  modify_time?: string;
  [field: string]: unknown;
}

/** A campaign from `/campaign/get/`. */
export interface Campaign extends DeliveryObject {
  campaign_id: string;
  campaign_name?: string;
  campaign_type?: string;
  objective?: string;
  objective_type?: string;
  is_new_structure?: boolean;
  is_smart_performance_campaign?: boolean;
  budget_mode?: string;
  budget?: number;
  roas_bid?: number;
  deep_bid_type?: string | null;
}

/** An ad group from `/adgroup/get/`. */
export interface AdGroup extends DeliveryObject {
  adgroup_id: string;
  adgroup_name?: string;
  campaign_id: string;
  budget_mode?: string;
  budget?: number;
  bid_type?: string;
  bid_price?: number;
  billing_event?: string;
  optimization_goal?: string;
  optimization_event?: string | null;
  pacing?: string;
  placement_type?: string;
  placements?: string[];
  schedule_type?: string;
  schedule_start_time?: string;
  schedule_end_time?: string;
  location_ids?: string[];
  pixel_id?: string | null;
}

/** An ad from `/ad/get/`. */
export interface Ad extends DeliveryObject {
  ad_id: string;
  ad_name?: string;
  adgroup_id: string;
  adgroup_name?: string;
  campaign_id: string;
  ad_format?: string;
  ad_text?: string;
  call_to_action?: string;
  landing_page_url?: string;
  display_name?: string;
  identity_type?: string;
  identity_id?: string | null;
  video_id?: string | null;
  image_ids?: string[];
}

/** A Business Center from `/bc/get/`, with the token holder's role in it. */
export interface BusinessCenter {
  bc_info: {
    bc_id: string;
    name?: string;
    company?: string;
    currency?: string;
    timezone?: string;
    registered_area?: string;
    type?: string;
    status?: string;
    [field: string]: unknown;
  };
  user_role?: string;
  ext_user_role?: Record<string, unknown>;
  binding_status?: string;
  [field: string]: unknown;
}

/** A video from `/file/video/ad/info/` or `/file/video/ad/search/`. */
export interface VideoInfo {
  video_id: string;
  material_id?: string;
  displayable?: boolean;
  signature?: string;
  file_name?: string;
  width?: number;
  height?: number;
  duration?: number;
  size?: number;
  format?: string;
  video_cover_url?: string;
  preview_url?: string;
  [field: string]: unknown;
}

/** An image from `/file/image/ad/upload/`. */
export interface ImageInfo {
  image_id: string;
  material_id?: string;
  file_name?: string;
  width?: number;
  height?: number;
  format?: string;
  size?: number;
  signature?: string;
  image_url?: string;
  [field: string]: unknown;
}

/** A report row: dimension values, and metrics as TikTok sends them (strings; "-" or null when none). */
export interface ReportRow {
  dimensions: Record<string, string>;
  metrics: Record<string, string | null>;
}
