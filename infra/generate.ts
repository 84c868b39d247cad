// Writes every file generated from infra/policies: `npm run infra:generate`. A unit test fails when the
// committed files differ from what this would write.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { recipientAccountTemplate, senderAccountTemplate } from "./cloudformation";
import { localWorld } from "./local-world";

const ROOT = resolve(__dirname, "..");

const asFile = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Repository-relative path → content. */
export function generatedFiles(): Record<string, string> {
  return {
    "local-aws/world.example.json": asFile(localWorld()),
    "infra/cloudformation/company-a.json": asFile(senderAccountTemplate()),
    "infra/cloudformation/company-b.json": asFile(recipientAccountTemplate()),
  };
}

if (require.main === module) {
  for (const [path, content] of Object.entries(generatedFiles())) {
    writeFileSync(join(ROOT, path), content);
    console.log(`wrote ${path}`);
  }
}
