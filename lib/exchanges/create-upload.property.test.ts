import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CreateUploadRequestSchema as CreateUploadSchema } from "../contract/transfer";

const field = fc.oneof(fc.jsonValue(), fc.string({ unit: "binary", maxLength: 1100 }), fc.integer(), fc.double(), fc.constant(undefined));
const candidate = fc.oneof(
  fc.jsonValue(),
  fc.record({ recipientOrg: field, fileName: field, contentType: field, message: field, size: field }, { requiredKeys: [] }),
);

test("any JSON is either a valid upload request or an error listing its issues, never a throw", () => {
  fc.assert(
    fc.property(candidate, (input) => {
      const parsed = CreateUploadSchema.safeParse(input);
      if (!parsed.success) {
        assert.ok(parsed.error.issues.length > 0);
        for (const issue of parsed.error.issues) assert.equal(typeof issue.message, "string");
        return;
      }
      const { recipientOrg, fileName, message, size } = parsed.data;
      assert.ok(recipientOrg.length >= 1 && recipientOrg.length <= 32);
      assert.ok(fileName.length >= 1 && fileName.length <= 1000 && fileName === fileName.trim());
      assert.ok(message.length <= 2000);
      assert.ok(Number.isSafeInteger(size) && size >= 0);
    }),
    { numRuns: 400 },
  );
});
