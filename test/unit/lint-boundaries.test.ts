// The import boundaries in eslint.config.mjs, checked against the repository's own configuration: each row is a
// file that would be written somewhere and one import in it, and whether the architecture allows it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ESLint } from "eslint";

const RULE = "no-restricted-imports";
// Only the boundary rule runs, and without the type-aware parser: these files exist only as text.
const eslint = new ESLint({
  cwd: process.cwd(),
  ruleFilter: ({ ruleId }) => ruleId === RULE,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});

const cases: { file: string; imports: string; allowed: boolean }[] = [
  { file: "lib/exchanges/example.ts", imports: "@aws-sdk/client-s3", allowed: false },
  { file: "lib/storage/example.ts", imports: "@aws-sdk/lib-storage", allowed: false },
  { file: "lib/aws/example.ts", imports: "@aws-sdk/client-s3", allowed: true },
  { file: "lib/storage/example.ts", imports: "@aws-crypto/client-node", allowed: false },
  { file: "lib/crypto/example.ts", imports: "@aws-crypto/client-node", allowed: true },
  { file: "lib/audit/example.ts", imports: "pg", allowed: false },
  { file: "lib/exchanges/example.ts", imports: "@electric-sql/pglite", allowed: false },
  { file: "lib/db/example.ts", imports: "pg", allowed: true },
  { file: "app/(app)/inbox/page.tsx", imports: "@/lib/db", allowed: false },
  { file: "app/api/exchanges/route.ts", imports: "../../../lib/db/database", allowed: false },
  { file: "app/api/exchanges/route.ts", imports: "@/lib/exchanges", allowed: true },
  { file: "server.ts", imports: "@aws-sdk/client-kms", allowed: false },
  { file: "components/upload/example.tsx", imports: "@/lib/exchanges", allowed: false },
  { file: "components/upload/example.tsx", imports: "../../lib/aws", allowed: false },
  { file: "components/upload/example.tsx", imports: "server-only", allowed: false },
  { file: "components/upload/example.tsx", imports: "@/app/api/exchanges/route", allowed: false },
  { file: "components/upload/example.tsx", imports: "@/lib/contract", allowed: true },
  { file: "components/upload/example.tsx", imports: "@/lib/contract/parts", allowed: true },
  { file: "local-aws/src/example.ts", imports: "@/lib/errors", allowed: false },
  { file: "local-aws/src/example.ts", imports: "../../lib/errors", allowed: false },
  { file: "local-aws/src/example.ts", imports: "./kms/keys", allowed: true },
  { file: "idp/src/example.ts", imports: "../../components/ui", allowed: false },
  { file: "lib/exchanges/example.ts", imports: "../../local-aws/src/main", allowed: false },
  { file: "test/integration/example.test.ts", imports: "../../local-aws/src/kms/keys", allowed: false },
  { file: "test/integration/example.test.ts", imports: "@aws-sdk/client-kms", allowed: true },
];

for (const { file, imports, allowed } of cases) {
  test(`${file} ${allowed ? "may" : "may not"} import ${imports}`, async () => {
    const [result] = await eslint.lintText(`import "${imports}";\n`, { filePath: file });
    assert.ok(result);
    const fatal = result.messages.filter((message) => message.fatal || message.ruleId === null);
    assert.deepEqual(fatal, [], "the file must be linted, not ignored or unparsable");
    const refused = result.messages.filter((message) => message.ruleId === RULE);
    assert.equal(refused.length, allowed ? 0 : 1, JSON.stringify(result.messages));
  });
}
