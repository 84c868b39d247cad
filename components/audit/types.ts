// The chain status the audit page passes to its badge; lib/audit's ChainVerification is structurally assignable to it.

export interface ChainStatusSummary {
  ok: boolean;
  checked: number;
  firstBad?: { seq: number; problem: string };
}
