import { AwsError, type CallInfo, type HandlerResult } from "../contracts";
import { withCallDetails } from "../events/failed-call";
import type { MasterKey } from "../state/master-key";
import type { World } from "../world/schema";
import { asInput, type Input } from "./input";
import { KeyStore } from "./key-store";
import { CallScope } from "./operation";
import { OPERATIONS } from "./operation-table";
import { filePersistence, inMemoryOnly } from "./persistence";
import { trailFields } from "./trail";
import { seedWorldKeys } from "./world-keys";

export interface KmsServiceOptions {
  world: World;
  masterKey: MasterKey;
  /** Where kms-state.json lives; null keeps all KMS state in memory. */
  stateDir: string | null;
  region: string;
}

export interface KmsService {
  handle(operation: string, input: unknown, call: CallInfo): Promise<HandlerResult>;
}

function resources(scope: CallScope): NonNullable<HandlerResult["resources"]> {
  return scope.touched.map((key) => ({ ARN: key.arn, accountId: key.accountId, type: "AWS::KMS::Key" }));
}

export function createKmsService({ world, masterKey, stateDir, region }: KmsServiceOptions): KmsService {
  const persistence = stateDir === null ? inMemoryOnly : filePersistence(stateDir, masterKey);
  const store = new KeyStore(region, (changed) => persistence.save(changed));
  persistence.load(store);
  // World keys get their key material on first start; it is saved at once so that it is kept.
  if (seedWorldKeys(store, world, new Date())) store.commit();

  return {
    async handle(operation, rawInput, call) {
      const run = OPERATIONS.get(operation);
      if (!run) throw new AwsError("UnknownOperationException", `local-aws KMS does not support the operation ${operation}`, 400);
      const scope = new CallScope(store, call);
      let input: Input | undefined;
      try {
        input = asInput(rawInput);
        const result = await run(scope, input);
        return {
          output: result.output,
          requestParameters: trailFields(input),
          responseElements: result.logOutput ? trailFields(result.output) : null,
          resources: resources(scope),
        };
      } catch (error) {
        if (error instanceof AwsError) throw withCallDetails(error, { requestParameters: input ? trailFields(input) : null, resources: resources(scope) });
        throw error;
      }
    },
  };
}
