import "server-only";

export { markInboxSeen, senderNotifications, unreadCount, type SenderNotification } from "./inbox-notifications";
