import { readFileSync } from "node:fs";
import { describeIssues, formatJsonPath } from "./format-path";
import { checkIntegrity } from "./integrity";
import { WorldSchema, type World } from "./schema";

/** A world file that cannot be used; the message names the file and each bad JSON path, one per line. */
export class WorldFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(problems.map((problem) => `world file ${file}: ${problem}`).join("\n"));
    this.name = "WorldFileError";
  }
}

export function parseWorld(file: string, text: string): World {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorldFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = WorldSchema.safeParse(json);
  if (!parsed.success) throw new WorldFileError(file, describeIssues(parsed.error.issues));
  const issues = checkIntegrity(parsed.data);
  if (issues.length > 0) throw new WorldFileError(file, issues.map((issue) => `${formatJsonPath(issue.path)}: ${issue.message}`));
  return parsed.data;
}

export function loadWorld(file: string): World {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new WorldFileError(file, [`cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  return parseWorld(file, text);
}
