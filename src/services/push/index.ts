export { type PlatformStatus, platformStatus, TIKTOK_STATUS_FEED } from './platform-status.ts';
export {
  type IntakeAnswer,
  PUSH_PATH,
  type PushDeps,
  type PushService,
  pushService,
} from './push-service.ts';
