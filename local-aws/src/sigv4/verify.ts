import { hash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { checkSkew, parseAmzDate } from "./amz-date";
import { parseAuthorization, type ParsedAuthorization } from "./authorization-header";
import { canonicalHeaders, canonicalQuery, canonicalUri } from "./canonical";
import { AuthFailure, SIGNATURE_MISMATCH_MESSAGE } from "./errors";
import { hmacHex, signingKey } from "./signing-key";

export type SigningService = "kms" | "sts" | "cloudtrail";

export interface HttpRequestParts {
  method: string;
  /** The request target exactly as received, e.g. `/?Action=GetCallerIdentity`. */
  rawUrl: string;
  rawHeaders: string[];
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose Authorization header, scope and date are well formed; the signature itself is still unchecked. */
export interface SignedRequest {
  http: HttpRequestParts;
  authorization: ParsedAuthorization;
  service: SigningService;
  amzDate: string;
  sessionToken: string | undefined;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Everything that can be checked without the secret key: header syntax, credential scope and clock skew. */
export function readSignedRequest(http: HttpRequestParts, now: Date): SignedRequest {
  const authorization = parseAuthorization(header(http.headers, "authorization"));
  const { accessKeyId, scopeDate, service } = authorization;
  const amzDate = header(http.headers, "x-amz-date");
  const signedAt = parseAmzDate(amzDate, accessKeyId);
  if (!authorization.signedHeaders.includes("host")) {
    throw new AuthFailure("incomplete-signature", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", accessKeyId);
  }
  const day = (amzDate as string).slice(0, 8);
  if (scopeDate !== day) {
    throw new AuthFailure(
      "signature-mismatch",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${day}', from '${amzDate}'.`,
      accessKeyId,
    );
  }
  if (service !== "kms" && service !== "sts" && service !== "cloudtrail") {
    throw new AuthFailure("signature-mismatch", `Credential should be scoped to correct service: 'kms', 'sts' or 'cloudtrail', not '${service}'.`, accessKeyId);
  }
  checkSkew(amzDate as string, signedAt, now, accessKeyId);
  return { http, authorization, service, amzDate: amzDate as string, sessionToken: header(http.headers, "x-amz-security-token") };
}

export function canonicalRequest(request: SignedRequest, payloadHash: string): string {
  const { http, authorization } = request;
  const queryAt = http.rawUrl.indexOf("?");
  const path = queryAt < 0 ? http.rawUrl : http.rawUrl.slice(0, queryAt);
  const query = queryAt < 0 ? "" : http.rawUrl.slice(queryAt + 1);
  const headers = canonicalHeaders(authorization.signedHeaders, http.rawHeaders);
  if (headers === null) throw new AuthFailure("signature-mismatch", SIGNATURE_MISMATCH_MESSAGE, authorization.accessKeyId);
  return `${http.method}\n${canonicalUri(path)}\n${canonicalQuery(query)}\n${headers}\n${authorization.signedHeaders.join(";")}\n${payloadHash}`;
}

export function stringToSign(request: SignedRequest, canonical: string): string {
  const { scopeDate, region, service } = request.authorization;
  // One-shot hashing: a Hash object per call costs more than the hashing of a few hundred bytes.
  return `AWS4-HMAC-SHA256\n${request.amzDate}\n${scopeDate}/${region}/${service}/aws4_request\n${hash("sha256", canonical, "hex")}`;
}

/** Recomputes the signature with the caller's secret and compares in constant time. */
export function verifySignature(request: SignedRequest, secretAccessKey: string): void {
  const { accessKeyId, scopeDate, region, service, signature } = request.authorization;
  const payloadHash = hash("sha256", request.http.body, "hex");
  const declared = header(request.http.headers, "x-amz-content-sha256");
  if (declared !== undefined && declared !== payloadHash) {
    throw new AuthFailure("signature-mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", accessKeyId);
  }
  const expected = hmacHex(signingKey(secretAccessKey, scopeDate, region, service), stringToSign(request, canonicalRequest(request, payloadHash)));
  if (!timingSafeEqual(Buffer.from(expected, "latin1"), Buffer.from(signature, "latin1"))) {
    throw new AuthFailure("signature-mismatch", SIGNATURE_MISMATCH_MESSAGE, accessKeyId);
  }
}
