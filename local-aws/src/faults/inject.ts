import { setTimeout as sleep } from "node:timers/promises";
import { DropConnection } from "../contracts";
import { withCallDetails } from "../events/failed-call";
import { trailFields } from "../kms/trail";
import type { OperationMiddleware, OperationRequest } from "../server";
import { faultError } from "./fault-error";
import type { Random } from "./random";
import type { FaultRule } from "./rules";

const matches = (rule: FaultRule, request: OperationRequest): boolean =>
  rule.service === request.service && (rule.operation === "*" || rule.operation === request.operation);

/** CloudTrail records a throttled call's parameters too; KMS's are its JSON input, minus secrets. */
function requestParameters(request: OperationRequest): Record<string, unknown> | null {
  const input = request.input;
  if (request.service !== "kms" || typeof input !== "object" || input === null || Array.isArray(input)) return null;
  return trailFields(input as Record<string, unknown>);
}

/**
 * Test-only fault injection. It runs as operation middleware, so only after SigV4 verification succeeded (auth
 * failures keep AWS's answers) and before the handler (a throttled call changes nothing).
 */
export class FaultInjector {
  private rules: readonly FaultRule[];

  constructor(
    rules: readonly FaultRule[],
    private readonly random: Random,
  ) {
    this.rules = rules;
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  replace(rules: readonly FaultRule[]): void {
    this.rules = rules;
  }

  /** Each matching rule fires with its probability: fired latencies add up, then the first fired drop or error wins. */
  readonly middleware: OperationMiddleware = async (request, next) => {
    const fired = this.rules.filter((rule) => matches(rule, request) && this.roll(rule.probability ?? 1));
    const latency = fired.reduce((sum, rule) => sum + (rule.latencyMs ?? 0), 0);
    if (latency > 0) await sleep(latency);
    const outcome = fired.find((rule) => rule.drop || rule.errorCode !== undefined);
    if (outcome?.drop) throw new DropConnection();
    if (outcome?.errorCode !== undefined) throw withCallDetails(faultError({ ...outcome, errorCode: outcome.errorCode }), { requestParameters: requestParameters(request) });
    return next();
  };

  // Certain outcomes draw no number, so that a rule at 0 or 1 leaves the seeded sequence of the others unchanged.
  private roll(probability: number): boolean {
    if (probability >= 1) return true;
    return probability > 0 && this.random() < probability;
  }
}
