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
  sha256: string | null;
  createdAt: string;
  completedAt: string | null;
  /** The metadata could not be decrypted (key service down or refused); the row still shows. */
  metadataError: string | null;
}
