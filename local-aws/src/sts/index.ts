export { createStsService, STS_OPERATIONS, type StsService } from "./service";
export { QueryParams } from "./params";
export { stsErrorXml, stsSuccessXml } from "./xml";
