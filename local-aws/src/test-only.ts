import { FaultInjector } from "./faults/inject";
import { cryptoRandom, seededRandom } from "./faults/random";
import { loadFaultRules, type FaultRule } from "./faults/rules";
import { dataKeyCanary } from "./kms/canary";
import type { OperationMiddleware, ServerOptions } from "./server";

export interface TestOnlyFlags {
  dataKeyCanary?: string;
  faults?: string;
  faultSeed?: string;
  testControls: boolean;
}

export interface TestOnlySetup {
  middleware: OperationMiddleware[];
  testControls: ServerOptions["testControls"];
  /** The test-only flags in use, to warn about at start-up; empty when none is. */
  enabled: string[];
}

/** A test-only flag that cannot be used; main reports the message and exits 1. */
export class TestOnlyFlagError extends Error {}

/** Builds what the test-only flags ask for. Throws FaultRulesError for a bad --faults file. */
export function testOnlySetup(flags: TestOnlyFlags): TestOnlySetup {
  const seed = flags.faultSeed === undefined ? undefined : Number(flags.faultSeed);
  if (seed !== undefined && !(/^\d+$/.test(flags.faultSeed ?? "") && seed < 2 ** 32)) throw new TestOnlyFlagError(`--fault-seed must be an integer 0..4294967295, not ${flags.faultSeed}`);
  const wantsFaults = flags.faults !== undefined || flags.testControls;
  if (seed !== undefined && !wantsFaults) throw new TestOnlyFlagError("--fault-seed needs --faults or --test-controls");
  const rules: FaultRule[] = flags.faults === undefined ? [] : loadFaultRules(flags.faults);
  const injector = wantsFaults ? new FaultInjector(rules, seed === undefined ? cryptoRandom : seededRandom(seed)) : null;

  const middleware: OperationMiddleware[] = [];
  // Faults come first, so that a faulted call never reaches the handler nor hands out a key.
  if (injector) middleware.push(injector.middleware);
  if (flags.dataKeyCanary !== undefined) middleware.push(dataKeyCanary(flags.dataKeyCanary));
  const enabled = [
    ...(flags.dataKeyCanary !== undefined ? ["--data-key-canary"] : []),
    ...(flags.faults !== undefined ? ["--faults"] : []),
    ...(flags.testControls ? ["--test-controls"] : []),
  ];
  return { middleware, testControls: injector && flags.testControls ? { faults: injector } : undefined, enabled };
}
