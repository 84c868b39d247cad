// Where a browser remembers its unfinished uploads, so that adding the same file again after a reload, a dropped
// connection, a server restart or a new sign-in continues from the parts the server already has.
//
// Key: a digest of (recipient organization, file name, size, last-modified time), so that file names (which the
// server keeps encrypted) are not written to localStorage in clear. Value: the exchange and its part plan. The server
// stays the authority: every resume asks it which parts it has, and a 404 makes the browser forget the entry.

export interface ResumeState {
  exchangeId: string;
  partBytes: number;
  partCount: number;
  /** File size, to refuse an entry that does not match the file (a digest collision, or a hand-edited entry). */
  size: number;
  savedAt: string;
}

export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
}

const PREFIX = "keybridge.upload.v1.";
/** Entries older than this are dropped on sight: the server expires incomplete uploads long before (24 h default). */
const FORGET_AFTER_MS = 14 * 24 * 3600 * 1000;

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    // Storage disabled (privacy settings): uploads still work, they just cannot resume after a reload.
    return null;
  }
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** FNV-1a (two 32-bit lanes) for pages without WebCrypto (plain HTTP off localhost); only needs to be stable. */
function fallbackDigest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code ^ (a >>> 7), 0x5bd1e995) >>> 0;
  }
  return `f${a.toString(16).padStart(8, "0")}${b.toString(16).padStart(8, "0")}`;
}

export async function resumeKey(file: FileIdentity, recipientOrg: string): Promise<string> {
  const text = JSON.stringify([recipientOrg, file.name, file.size, file.lastModified]);
  const subtle = typeof crypto !== "undefined" ? crypto.subtle : undefined;
  if (subtle) {
    try {
      return PREFIX + hex(await subtle.digest("SHA-256", new TextEncoder().encode(text)));
    } catch {
      // fall through to the non-cryptographic digest
    }
  }
  return PREFIX + fallbackDigest(text);
}

function parse(raw: string | null): ResumeState | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<ResumeState>;
    if (typeof value.exchangeId !== "string" || !/^[0-9A-Za-z-]{1,64}$/.test(value.exchangeId)) return null;
    if (!Number.isSafeInteger(value.partBytes) || !Number.isSafeInteger(value.partCount) || !Number.isSafeInteger(value.size)) return null;
    if (typeof value.savedAt !== "string") return null;
    return value as ResumeState;
  } catch {
    return null;
  }
}

export function loadResume(key: string, now: number = Date.now()): ResumeState | null {
  const store = storage();
  if (!store) return null;
  const state = parse(store.getItem(key));
  if (!state) return null;
  const savedAt = Date.parse(state.savedAt);
  if (Number.isNaN(savedAt) || now - savedAt > FORGET_AFTER_MS) {
    forgetResume(key);
    return null;
  }
  return state;
}

export function saveResume(key: string, state: Omit<ResumeState, "savedAt">): void {
  const store = storage();
  if (!store) return;
  try {
    store.setItem(key, JSON.stringify({ ...state, savedAt: new Date().toISOString() } satisfies ResumeState));
  } catch {
    // Quota exceeded or storage disabled: the upload goes on, it just cannot resume after a reload.
  }
}

export function forgetResume(key: string): void {
  try {
    storage()?.removeItem(key);
  } catch {
    // nothing to forget
  }
}

/** Forgets every entry that points at `exchangeId` (after a discard from the Incomplete uploads list). */
export function forgetExchange(exchangeId: string): void {
  const store = storage();
  if (!store) return;
  try {
    const keys: string[] = [];
    for (let index = 0; index < store.length; index += 1) {
      const key = store.key(index);
      if (key?.startsWith(PREFIX) && parse(store.getItem(key))?.exchangeId === exchangeId) keys.push(key);
    }
    for (const key of keys) store.removeItem(key);
  } catch {
    // storage went away: nothing more to do
  }
}

/** The remembered upload of this file to any of `recipientOrgs`, for a hint when the file is added again. */
export async function findResumable(file: FileIdentity, recipientOrgs: readonly string[]): Promise<{ recipientOrg: string; state: ResumeState } | null> {
  for (const recipientOrg of recipientOrgs) {
    const state = loadResume(await resumeKey(file, recipientOrg));
    if (state && state.size === file.size) return { recipientOrg, state };
  }
  return null;
}
