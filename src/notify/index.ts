export {
  type ChannelConfig,
  ChannelConfigSchema,
  type ChannelSender,
  createSender,
  type Delivery,
  newWebhookSecret,
  PermanentDeliveryError,
} from './channels.ts';
export { headline, type NotificationPayload, renderSlack, renderText } from './render-message.ts';
export { type RoutableChannel, routeNotification } from './route-notification.ts';
