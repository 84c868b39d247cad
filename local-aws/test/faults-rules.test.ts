// Fault rules without a server: validation messages, the statuses errors default to, seeded rolls.
import assert from "node:assert/strict";
import { test } from "node:test";
import { faultError } from "../src/faults/fault-error";
import { seededRandom } from "../src/faults/random";
import { FaultRulesError, parseFaultRules } from "../src/faults/rules";

test("errors take AWS's status for their code unless the rule names one", () => {
  const status = (errorCode: string, httpStatus?: number) => faultError({ service: "kms", operation: "*", errorCode, httpStatus }).httpStatus;
  assert.equal(status("ThrottlingException"), 400);
  assert.equal(status("Throttling"), 400);
  assert.equal(status("KMSInternalException"), 500);
  assert.equal(status("InternalFailure"), 500);
  assert.equal(status("ServiceUnavailable"), 503);
  assert.equal(status("LimitExceededException"), 400);
  assert.equal(status("ThrottlingException", 429), 429);
  assert.equal(faultError({ service: "sts", operation: "AssumeRole", errorCode: "Throttling", message: "slow down" }).message, "slow down");
});

test("rules that could not do what they say are refused, each problem with its JSON path", () => {
  const problems = (rules: unknown): string[] => {
    try {
      parseFaultRules(JSON.stringify(rules));
    } catch (error) {
      if (error instanceof FaultRulesError) return error.problems;
      throw error;
    }
    return [];
  };
  assert.deepEqual(problems([{ service: "sts", operation: "AssumeRole", errorCode: "Throttling", probability: 0.5, latencyMs: 10 }]), []);
  assert.deepEqual(problems([{ service: "sts", operation: "AssumeRole" }]), ["[0]: a rule needs errorCode, drop or latencyMs"]);
  assert.match(problems([{ service: "sts", operation: "Decrypt", drop: true }])[0] ?? "", /^\[0\]\.operation: sts has no operation "Decrypt"/);
  assert.deepEqual(problems([{ service: "kms", operation: "*", httpStatus: 503, latencyMs: 5 }]), ["[0].httpStatus: httpStatus needs errorCode"]);
  assert.deepEqual(problems([{ service: "kms", operation: "*", drop: true, errorCode: "ThrottlingException" }]), ["[0].drop: a rule either drops the connection or answers with errorCode, not both"]);
  assert.match(problems([{ service: "kms", operation: "*", drop: true, extra: 1 }])[0] ?? "", /^\[0\]: Unrecognized key: "extra"/);
  assert.match(problems([{ service: "kms", operation: "*", errorCode: "ThrottlingException", httpStatus: 200 }])[0] ?? "", /^\[0\]\.httpStatus: /);
});

test("a seed fixes the sequence of rolls; every roll is in [0, 1)", () => {
  const first = seededRandom(42);
  const second = seededRandom(42);
  const rolls = Array.from({ length: 1000 }, () => first());
  assert.deepEqual(rolls, Array.from({ length: 1000 }, () => second()));
  assert.ok(rolls.every((roll) => roll >= 0 && roll < 1));
  assert.notDeepEqual(rolls.slice(0, 10), Array.from({ length: 10 }, seededRandom(43)));
  const share = rolls.filter((roll) => roll < 0.3).length / rolls.length;
  assert.ok(share > 0.25 && share < 0.35, `about 30% of rolls fall under 0.3, not ${share}`);
});
