export { createStsService, type StsService } from "./service";
export { QueryParams } from "./params";
export { stsErrorXml, stsSuccessXml } from "./xml";
