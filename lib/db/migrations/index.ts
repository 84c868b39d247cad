import { initial } from "./0001-initial";
import { audit } from "./0003-audit";

/** Applied in order, each once; never edit one that has shipped, add the next. */
export const MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  { id: "0001-initial", sql: initial },
  // 0002 (issue 4: links, MFA enrolment, rate limits) goes here, before 0003.
  { id: "0003-audit", sql: audit },
];
