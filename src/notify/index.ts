export {
  type ChannelConfig,
  ChannelConfigSchema,
  type ChannelSender,
  createSender,
  type Delivery,
  newWebhookSecret,
  PermanentDeliveryError,
} from './channels/channels.ts';
export { checkDestination, DestinationRefusedError, isPrivateAddress } from './channels/destination-guard.ts';
export { deliveryRetryAt, MAX_DELIVERY_ATTEMPTS } from './delivery-retry.ts';
export type { DigestItem, DigestPayload } from './render-digest.ts';
export {
  headline,
  type IncidentPayload,
  type NotificationPayload,
  renderSlack,
  renderText,
} from './render-message.ts';
export {
  notificationKey,
  overHourlyCap,
  type RoutableChannel,
  routeNotification,
} from './route-notification.ts';
