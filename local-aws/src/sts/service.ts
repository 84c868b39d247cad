import { AwsError, type CallInfo, type HandlerResult } from "../contracts";
import type { MasterKey } from "../state/master-key";
import type { World } from "../world/schema";
import { assumeRole } from "./assume-role";
import { CallerDirectory } from "./callers";
import { getCallerIdentity } from "./get-caller-identity";
import { getSessionToken } from "./get-session-token";
import type { QueryParams } from "./params";

/** The Query protocol actions this endpoint serves. */
export const STS_OPERATIONS: readonly string[] = ["AssumeRole", "GetCallerIdentity", "GetSessionToken"];

export interface StsService {
  callers: CallerDirectory;
  handle(operation: string, params: QueryParams, call: CallInfo): Promise<HandlerResult>;
}

export function createStsService({ world, masterKey }: { world: World; masterKey: MasterKey }): StsService {
  const callers = new CallerDirectory(world, masterKey);
  return {
    callers,
    async handle(operation, params, call) {
      switch (operation) {
        case "AssumeRole":
          return assumeRole(params, call, callers, masterKey);
        case "GetCallerIdentity":
          return getCallerIdentity(call);
        case "GetSessionToken":
          return getSessionToken(params, call, callers, masterKey);
        default:
          throw new AwsError("InvalidAction", `Could not find operation ${operation} for version 2011-06-15`);
      }
    },
  };
}
