/** What the UI shows of an exchange; names come decrypted, only for people allowed to see them. */
export interface ExchangeView {
  id: string;
  direction: "sent" | "received";
  senderOrg: string;
  senderOrgName: string;
  senderName: string;
  recipientOrg: string;
  recipientOrgName: string;
  status: "uploading" | "receiving" | "available";
  fileName: string | null;
  contentType: string | null;
  message: string | null;
  size: number;
  /** Sealed by the sender; null only for exchanges stored before it was recorded. */
  sha256: string | null;
  /** Null: every member of the recipient organization may download; else these people only. */
  namedRecipientIds: string[] | null;
  maxDownloads: number | null;
  completedDownloads: number;
  createdAt: string;
  completedAt: string | null;
  /** The metadata could not be decrypted (key service down or refused); the row still shows. */
  metadataError: string | null;
}
