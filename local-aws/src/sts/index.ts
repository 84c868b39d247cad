export { createStsService, isStsOperation, type StsService } from "./service";
export { QueryParams } from "./params";
export { stsErrorXml, stsSuccessXml } from "./xml";
export type { ResolvedCredentials } from "./callers";
