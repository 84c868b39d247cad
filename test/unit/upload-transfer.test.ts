// The browser side of parted uploads (components/upload), the parts that need no browser: part arithmetic, backoff,
// Retry-After, the speed window, the resume store (on a stand-in localStorage) and the upload list's state.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BACKOFF_MAX_MS,
  backoffDelayMs,
  expectedPartCount,
  isConsistentPlan,
  isRetryableStatus,
  missingParts,
  parseRetryAfter,
  partLength,
  partRange,
  storedBytes,
} from "../../components/upload/part-plan";
import { findResumable, forgetExchange, forgetResume, loadResume, resumeKey, saveResume } from "../../components/upload/resume-store";
import { speedMeter } from "../../components/upload/speed-meter";
import { initialUploads, overallProgress, uploadsReducer } from "../../components/upload/uploads-state";

const MiB = 1024 * 1024;

test("parts cover the file exactly, the last one short, a 0-byte file as one empty part", () => {
  const plan = { size: 300 * 1000 * 1000, partBytes: 16 * MiB, partCount: expectedPartCount(300 * 1000 * 1000, 16 * MiB) };
  assert.equal(plan.partCount, 18);
  assert.ok(isConsistentPlan(plan));
  let covered = 0;
  for (let part = 1; part <= plan.partCount; part += 1) {
    const { start, end } = partRange(plan, part);
    assert.equal(start, covered);
    assert.ok(end - start <= plan.partBytes, "no body is larger than a part");
    covered = end;
  }
  assert.equal(covered, plan.size);
  assert.equal(partLength(plan, 18), plan.size - 17 * 16 * MiB);

  const empty = { size: 0, partBytes: 16 * MiB, partCount: 1 };
  assert.ok(isConsistentPlan(empty));
  assert.deepEqual(partRange(empty, 1), { start: 0, end: 0 });
  assert.throws(() => partRange(empty, 2), RangeError);

  const exact = { size: 4 * MiB, partBytes: MiB, partCount: 4 };
  assert.ok(isConsistentPlan(exact));
  assert.equal(partLength(exact, 4), MiB);
  assert.equal(isConsistentPlan({ ...exact, partCount: 5 }), false);
  assert.equal(isConsistentPlan({ ...exact, partBytes: 0 }), false);
});

test("missing parts and stored bytes follow the server's list, ignoring numbers outside the plan and duplicates", () => {
  const plan = { size: 10 * MiB + 5, partBytes: 2 * MiB, partCount: 6 };
  assert.deepEqual(missingParts(plan, [1, 3, 3, 6, 9, 0]), [2, 4, 5]);
  assert.equal(storedBytes(plan, [1, 3, 3, 6, 9]), 2 * MiB + 2 * MiB + 5);
  assert.deepEqual(missingParts(plan, []), [1, 2, 3, 4, 5, 6]);
});

test("backoff doubles from 1 s with jitter within [half, full], capped", () => {
  assert.equal(backoffDelayMs(2, () => 0), 500);
  assert.equal(backoffDelayMs(2, () => 1), 1000);
  assert.equal(backoffDelayMs(3, () => 1), 2000);
  assert.equal(backoffDelayMs(4, () => 1), 4000);
  assert.equal(backoffDelayMs(6, () => 0.5), 12_000);
  assert.equal(backoffDelayMs(40, () => 1), BACKOFF_MAX_MS);
  for (let index = 0; index < 200; index += 1) {
    const delay = backoffDelayMs(5);
    assert.ok(delay >= 4000 && delay <= 8000, String(delay));
  }
});

test("Retry-After in seconds or as a date; which statuses are worth retrying", () => {
  assert.equal(parseRetryAfter("7"), 7000);
  assert.equal(parseRetryAfter(null), null);
  assert.equal(parseRetryAfter("soon"), null);
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfter("999999"), 3600 * 1000);
  for (const status of [0, 408, 429, 500, 502, 503, 507]) assert.ok(isRetryableStatus(status), String(status));
  for (const status of [400, 401, 403, 404, 409, 413, 415]) assert.equal(isRetryableStatus(status), false, String(status));
});

test("speed follows the last few seconds, not the average since the start", () => {
  const meter = speedMeter(5000, () => 0);
  assert.equal(meter.sample(0, 0), null);
  assert.equal(meter.sample(100, 200), null, "too little history");
  // 10 s at 1 MB/s, then 10 s at 10 MB/s: the window sees only the fast part.
  let bytes = 0;
  for (let at = 1000; at <= 10_000; at += 1000) meter.sample((bytes += 1_000_000), at);
  for (let at = 11_000; at <= 20_000; at += 1000) meter.sample((bytes += 10_000_000), at);
  const speed = meter.sample(bytes, 20_000);
  assert.ok(speed !== null && speed > 9_000_000 && speed <= 10_000_000, String(speed));
});

class MemoryStorage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  values() {
    return [...this.map.entries()];
  }
}

test("the resume store keys by file and recipient, keeps no file name in clear, and forgets by exchange", async () => {
  const storage = new MemoryStorage();
  (globalThis as { window?: unknown }).window = { localStorage: storage };
  try {
    const file = { name: "board-minutes-secret.pdf", size: 300_000_000, lastModified: 1_700_000_000_000 };
    const key = await resumeKey(file, "globex");
    assert.notEqual(key, await resumeKey(file, "initech"));
    assert.notEqual(key, await resumeKey({ ...file, lastModified: file.lastModified + 1 }, "globex"));
    assert.equal(key, await resumeKey({ ...file }, "globex"));

    saveResume(key, { exchangeId: "3f1c1c5e-1111-4222-8333-444455556666", partBytes: 16 * MiB, partCount: 18, size: file.size });
    assert.equal(loadResume(key)?.exchangeId, "3f1c1c5e-1111-4222-8333-444455556666");
    assert.ok(!JSON.stringify(storage.values()).includes("board-minutes"), "no file name in storage");
    assert.equal((await findResumable(file, ["initech", "globex"]))?.recipientOrg, "globex");
    assert.equal(await findResumable({ ...file, size: 1 }, ["globex"]), null);

    // Old entries and damaged ones are dropped.
    assert.equal(loadResume(key, Date.now() + 30 * 24 * 3600 * 1000), null);
    assert.equal(loadResume(key), null);
    storage.setItem(key, "{not json");
    assert.equal(loadResume(key), null);
    storage.setItem(key, JSON.stringify({ exchangeId: "../../etc", partBytes: 1, partCount: 1, size: 1, savedAt: new Date().toISOString() }));
    assert.equal(loadResume(key), null);

    saveResume(key, { exchangeId: "aaaa", partBytes: 1, partCount: 1, size: 1 });
    const other = await resumeKey({ ...file, name: "other" }, "globex");
    saveResume(other, { exchangeId: "bbbb", partBytes: 1, partCount: 1, size: 1 });
    forgetExchange("aaaa");
    assert.equal(loadResume(key), null);
    assert.equal(loadResume(other)?.exchangeId, "bbbb");
    forgetResume(other);
    assert.equal(storage.length, 0);
  } finally {
    delete (globalThis as { window?: unknown }).window;
  }
});

test("the upload list: pause keeps what is stored, retry resumes the same upload, cancel starts afresh", () => {
  const file = { name: "big.bin", size: 100, lastModified: 1 } as File;
  let state = uploadsReducer(initialUploads, { type: "add", files: [file, { name: "huge.bin", size: 10_000, lastModified: 1 } as File], maxBytes: 1000 });
  assert.equal(state.items[1]?.phase, "failed");
  assert.equal(state.items[1]?.retryable, false);
  const key = state.items[0]!.key;
  state = uploadsReducer(state, { type: "queue", keys: [key], recipientOrg: "globex", message: "hi", audience: { recipientUserIds: [], maxDownloads: null } });
  state = uploadsReducer(state, { type: "phase", key, phase: "creating" });
  state = uploadsReducer(state, { type: "started", key, start: { exchangeId: "x1", partCount: 4, partBytes: 25, storedBytes: 50, resumed: true } });
  assert.equal(state.items[0]?.phase, "uploading");
  assert.equal(state.items[0]?.loaded, 50);
  assert.equal(state.items[0]?.resumedFrom, 50);
  state = uploadsReducer(state, { type: "progress", key, progress: { loaded: 70, total: 100, storedBytes: 50, partsStored: 2, partCount: 4, bytesPerSecond: 10, retries: [{ partNumber: 3, attempt: 2, retryAt: 5, reason: "x" }] } });
  assert.equal(state.items[0]?.retries.length, 1);
  state = uploadsReducer(state, { type: "finished", key, outcome: { kind: "paused", exchangeId: "x1" } });
  assert.equal(state.items[0]?.phase, "paused");
  assert.equal(state.items[0]?.loaded, 50, "a pause drops the bytes of parts in flight, keeps the stored ones");
  assert.equal(state.items[0]?.retries.length, 0);
  state = uploadsReducer(state, { type: "resume", key });
  assert.equal(state.items[0]?.phase, "queued");
  assert.equal(state.items[0]?.exchangeId, "x1");

  state = uploadsReducer(state, { type: "finished", key, outcome: { kind: "failed", message: "lost", retryable: true, exchangeId: "x1" } });
  state = uploadsReducer(state, { type: "queue", keys: [key], recipientOrg: "initech", message: "other", audience: { recipientUserIds: [], maxDownloads: null } });
  assert.equal(state.items[0]?.recipientOrg, "globex", "a retry resumes to the same recipient");
  assert.equal(state.items[0]?.exchangeId, "x1");

  state = uploadsReducer(state, { type: "finished", key, outcome: { kind: "cancelled" } });
  assert.equal(state.items[0]?.exchangeId, null);
  state = uploadsReducer(state, { type: "queue", keys: [key], recipientOrg: "globex", message: "again", audience: { recipientUserIds: [], maxDownloads: null } });
  assert.equal(state.items[0]?.loaded, 0);
  assert.equal(state.items[0]?.message, "again");

  state = uploadsReducer(state, { type: "add-resume", file, exchangeId: "x2", recipientOrg: "globex" });
  assert.equal(state.items[2]?.phase, "queued");
  assert.equal(state.items[2]?.fromIncompleteList, true);

  const overall = overallProgress(state.items);
  assert.equal(overall.files, 3);
  assert.equal(overall.total, 100 + 10_000 + 100);
});
