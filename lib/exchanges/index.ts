import "server-only";

export { createUpload, type CreateUploadInput } from "./create-upload";
export { cancelUpload } from "./cancel-upload";
export { listInbox, listSent, getExchange, listIncompleteUploads, type ExchangeDetail } from "./list-exchanges";
export type { IncompleteUpload } from "../contract/incomplete-upload";
export type { DownloadAllowance, DownloadCapability } from "./download-capability";
export { receivePart, type ReceivedPart } from "./parts/receive-part";
export { completeUpload, type CompletedUpload } from "./parts/complete-upload";
export { partedUploadStatus, type PartedUploadStatus } from "./parts/upload-status";
export { openDownload, type DownloadRequest, type ExchangeDownload } from "./open-download";
export type { ExchangeView } from "./exchange-view";
export { exchangesNamedLike } from "./exchanges-named-like";
