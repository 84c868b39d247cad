// Plain shapes that pages pass to components. Components never import lib/; ExchangeView from lib/exchanges is
// structurally assignable to ExchangeSummary.

export interface ExchangeSummary {
  id: string;
  direction: "sent" | "received";
  senderOrgName: string;
  senderName: string;
  recipientOrgName: string;
  status: "uploading" | "receiving" | "available";
  fileName: string | null;
  message: string | null;
  size: number;
  sha256: string | null;
  createdAt: string;
  completedAt: string | null;
  metadataError: string | null;
}

export interface PartnerOrganization {
  slug: string;
  displayName: string;
  /** Its people who may download (members and admins), for addressing a transfer to some of them. */
  people: Array<{ id: string; displayName: string; email: string }>;
}

/** Whom a transfer is for: named people of the recipient organization (empty: all of them), and how many downloads. */
export interface Audience {
  recipientUserIds: string[];
  maxDownloads: number | null;
}

/** The JSON error body every Keybridge route sends: declared once, in the transfer contract. */
export type { ErrorBody as ApiErrorBody } from "../lib/contract/transfer";

/** What a server action hands back to its form; `null` before the first submit. */
export type ActionState<T> = { ok: true; value: T } | { ok: false; code: string; message: string; retryAfterSeconds: number | null } | null;

export type FormAction<T> = (previous: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;
