import "server-only";

export { createUpload, CreateUploadSchema, type CreateUploadInput } from "./create-upload";
export { receiveUpload, type ReceivedUpload } from "./receive-upload";
export { cancelUpload } from "./cancel-upload";
export { listInbox, listSent, getExchange } from "./list-exchanges";
export { openDownload, type DownloadHooks, type ExchangeDownload } from "./open-download";
export type { ExchangeView } from "./exchange-view";
export { exchangesNamedLike } from "./exchanges-named-like";
