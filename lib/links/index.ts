import "server-only";

export { createLink, CreateLinkSchema, type CreatedLink } from "./create-link";
export { listLinks, type LinkView, type LinkDownloadReceipt } from "./list-links";
export { resolveLink, type LinkPageView } from "./resolve-link";
export { revokeLink, RevokeLinkSchema } from "./revoke-link";
export { linkDownload } from "./link-download";
export type { LinkStatus } from "./link-access-policy";
export { peopleWhoMayDownload, recipientChoices, type RecipientChoice } from "./recipient-choices";
