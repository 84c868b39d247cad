// What the upload page hands its client component for each of the sender's unfinished uploads: lib/exchanges
// builds it, components/upload renders it. A plain type, no server modules, so a client component may import it.

export interface IncompleteUpload {
  exchangeId: string;
  fileName: string;
  size: number;
  recipientOrg: string;
  recipientOrgName: string;
  partBytes: number;
  partCount: number;
  storedParts: number[];
  storedBytes: number;
  startedAt: string;
  expiresAt: string;
}
