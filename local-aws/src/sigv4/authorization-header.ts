import { AuthFailure } from "./errors";

export interface ParsedAuthorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  /** Lower-case header names, in the order the client signed them. */
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const FIELD = /\s*([A-Za-z]+)=([^,\s]*)\s*(?:,|$)/g;

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (!header) throw new AuthFailure("missing-authentication", "Missing Authentication Token");
  if (!header.startsWith(`${ALGORITHM} `)) {
    throw new AuthFailure("incomplete-signature", `Unsupported AWS 'algorithm': '${header.split(" ", 1)[0]}'. The only supported algorithm is ${ALGORITHM}.`);
  }
  const fields = new Map<string, string>();
  for (const match of header.slice(ALGORITHM.length + 1).matchAll(FIELD)) fields.set(match[1] as string, match[2] as string);
  for (const name of ["Credential", "SignedHeaders", "Signature"]) {
    if (!fields.get(name)) throw new AuthFailure("incomplete-signature", `Authorization header requires '${name}' parameter. Authorization=${ALGORITHM} ...`);
  }
  const credential = (fields.get("Credential") as string).split("/");
  const [accessKeyId, scopeDate, region, service, terminator] = credential;
  if (credential.length !== 5 || !accessKeyId || !scopeDate || !region || !service || terminator !== "aws4_request") {
    throw new AuthFailure("incomplete-signature", "Credential should be scoped to a valid region, date, service and terminated by 'aws4_request'.");
  }
  const signature = fields.get("Signature") as string;
  if (!/^[0-9a-f]{64}$/.test(signature)) throw new AuthFailure("signature-mismatch", "The request signature we calculated does not match the signature you provided.", accessKeyId);
  return { accessKeyId, scopeDate, region, service, signedHeaders: (fields.get("SignedHeaders") as string).split(";"), signature };
}
