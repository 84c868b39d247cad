import type { z } from "zod";

/** Renders a zod-style issue path as the JSON path a person would type: `roles[1].trustPolicy.Statement[0].Effect`. */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const name = String(part);
      out += /^[A-Za-z_$][\w$]*$/.test(name) ? `${out ? "." : ""}${name}` : `[${JSON.stringify(name)}]`;
    }
  }
  return out || "(root)";
}

/** A wrong-type issue at the union itself: that alternative does not fit the value's shape at all. */
const shapeMismatch = (branch: z.core.$ZodIssue[]): boolean => branch.every((issue) => issue.code === "invalid_type" && issue.path.length === 0);

/**
 * Issues as `path: message` lines. A union (a Statement that is one object or a list) reports through the
 * alternative that fits the value's shape, so the line points at the bad field rather than at the union.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const fitting = issue.errors.filter((branch) => !shapeMismatch(branch));
      if (fitting.length === 1) return describeIssues(fitting[0] as z.core.$ZodIssue[], path);
    }
    return [`${formatJsonPath(path)}: ${issue.message}`];
  });
}
