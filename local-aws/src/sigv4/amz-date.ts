import { AuthFailure } from "./errors";

/** AWS refuses requests whose X-Amz-Date is more than 15 minutes from its own clock, either way. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

export function parseAmzDate(value: string | undefined, accessKeyId: string): Date {
  const match = value?.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!value || !match) {
    throw new AuthFailure("incomplete-signature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", accessKeyId);
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

export function checkSkew(amzDate: string, signedAt: Date, now: Date, accessKeyId: string): void {
  const skew = signedAt.getTime() - now.getTime();
  if (skew < -MAX_SKEW_MS) {
    const limit = formatAmzDate(new Date(now.getTime() - MAX_SKEW_MS));
    throw new AuthFailure("signature-mismatch", `Signature expired: ${amzDate} is now earlier than ${limit} (${formatAmzDate(now)} - 15 min.)`, accessKeyId);
  }
  if (skew > MAX_SKEW_MS) {
    const limit = formatAmzDate(new Date(now.getTime() + MAX_SKEW_MS));
    throw new AuthFailure("signature-mismatch", `Signature not yet current: ${amzDate} is still later than ${limit} (${formatAmzDate(now)} + 15 min.)`, accessKeyId);
  }
}
