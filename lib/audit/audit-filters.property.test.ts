import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { AuditFiltersSchema, auditFiltersQuery, parseAuditFilters } from "./audit-filters";

const FIELDS = ["from", "to", "actor", "org", "action", "outcome", "exchange", "q", "after", "format", "unknown"];
const value = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom("' OR 1=1 --", "%", "_", "\\", "; DROP TABLE audit_events", "2026-01-01", "2026-01-01T10:00", "acme", "denied", "auth.sign_in", "1700000000000.5"),
  fc.uuid(),
);
const params = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: FIELDS.length });

test("any query string parses to valid filters, naming each value it dropped", () => {
  fc.assert(
    fc.property(params, (raw) => {
      const { filters, invalid } = parseAuditFilters(raw);
      assert.ok(AuditFiltersSchema.safeParse(filters).success);
      for (const field of invalid) assert.ok(FIELDS.includes(field), field);
      for (const field of invalid) assert.equal((filters as Record<string, unknown>)[field], undefined);
      assert.doesNotMatch(filters.q ?? "", /[\u0000-\u001f]/);
    }),
    { numRuns: 400 },
  );
});

const defined = (filters: object) => Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));

test("filters survive the round trip through the URL the dashboard links to", () => {
  fc.assert(
    fc.property(params, (raw) => {
      const { filters } = parseAuditFilters(raw);
      const again = parseAuditFilters(Object.fromEntries(new URLSearchParams(auditFiltersQuery(filters))));
      assert.deepEqual(again.invalid, []);
      assert.deepEqual(defined(again.filters), defined(filters));
    }),
    { numRuns: 300 },
  );
});

test("a search of nothing but control characters is no search, and stays none through the URL (fast-check found {q: NUL})", () => {
  for (const q of ["\u0000", " \u0001 ", "\u007f\u0000"]) {
    const { filters } = parseAuditFilters({ q });
    assert.equal(filters.q, undefined, JSON.stringify(q));
  }
  assert.equal(parseAuditFilters({ q: "\u0000 contract" }).filters.q, "contract");
});
