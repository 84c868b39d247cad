import { readFileSync } from "node:fs";
import { z } from "zod";
import { OPERATIONS as KMS_OPERATIONS } from "../kms/operation-table";
import { STS_OPERATIONS } from "../sts";
import { describeIssues } from "../world/format-path";

// A misspelt operation would match nothing and let a test pass without any fault: names are checked per service.
const OPERATIONS_OF: Record<"kms" | "sts", readonly string[]> = { kms: [...KMS_OPERATIONS.keys()], sts: STS_OPERATIONS };

export const FaultRuleSchema = z
  .object({
    service: z.enum(["kms", "sts"]),
    /** An operation name as on the wire (X-Amz-Target suffix or STS Action), or "*" for every operation of the service. */
    operation: z.string(),
    errorCode: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,127}$/, "an error code is letters and digits, e.g. ThrottlingException").optional(),
    message: z.string().max(1024).optional(),
    httpStatus: z.number().int().min(400).max(599).optional(),
    probability: z.number().min(0).max(1).optional(),
    latencyMs: z.number().int().min(0).max(300_000).optional(),
    drop: z.boolean().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.operation !== "*" && !OPERATIONS_OF[rule.service].includes(rule.operation)) {
      ctx.addIssue({ code: "custom", path: ["operation"], message: `${rule.service} has no operation ${JSON.stringify(rule.operation)} here; use one of ${OPERATIONS_OF[rule.service].join(", ")} or "*"` });
    }
    if (rule.drop && rule.errorCode !== undefined) ctx.addIssue({ code: "custom", path: ["drop"], message: "a rule either drops the connection or answers with errorCode, not both" });
    for (const field of ["httpStatus", "message"] as const) {
      if (rule[field] !== undefined && rule.errorCode === undefined) ctx.addIssue({ code: "custom", path: [field], message: `${field} needs errorCode` });
    }
    if (rule.errorCode === undefined && !rule.drop && !rule.latencyMs) ctx.addIssue({ code: "custom", path: [], message: "a rule needs errorCode, drop or latencyMs" });
  });

export const FaultRulesSchema = z.array(FaultRuleSchema);

export type FaultRule = z.infer<typeof FaultRuleSchema>;

/** Rules that cannot be used; the message has one `path: problem` line per issue, like the world file's. */
export class FaultRulesError extends Error {
  constructor(readonly problems: string[], source?: string) {
    super(problems.map((problem) => (source ? `faults file ${source}: ${problem}` : problem)).join("\n"));
    this.name = "FaultRulesError";
  }
}

export function parseFaultRules(text: string, source?: string): FaultRule[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FaultRulesError([`not valid JSON: ${(error as Error).message}`], source);
  }
  const parsed = FaultRulesSchema.safeParse(json);
  if (!parsed.success) throw new FaultRulesError(describeIssues(parsed.error.issues), source);
  return parsed.data;
}

export function loadFaultRules(file: string): FaultRule[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new FaultRulesError([`cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`], file);
  }
  return parseFaultRules(text, file);
}
