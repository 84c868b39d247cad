// Pure checks of the SigV4 verifier against AWS's published example; the real SDKs exercise it in sigv4-auth.test.ts.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { canonicalQuery, canonicalUri } from "../src/sigv4/canonical";
import { type AuthFailure } from "../src/sigv4/errors";
import { hmacHex, signingKey } from "../src/sigv4/signing-key";
import { canonicalRequest, readSignedRequest, stringToSign, verifySignature, type HttpRequestParts, type SignedRequest } from "../src/sigv4/verify";

const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");

// "Create a signed AWS API request" in the IAM User Guide: GET ListUsers on IAM, 2015-08-30.
const docExample: SignedRequest = {
  http: {
    method: "GET",
    rawUrl: "/?Action=ListUsers&Version=2010-05-08",
    rawHeaders: ["Host", "iam.amazonaws.com", "Content-Type", "application/x-www-form-urlencoded; charset=utf-8", "X-Amz-Date", "20150830T123600Z"],
    headers: {},
    body: Buffer.alloc(0),
  },
  authorization: { accessKeyId: "AKIDEXAMPLE", scopeDate: "20150830", region: "us-east-1", service: "iam", signedHeaders: ["content-type", "host", "x-amz-date"], signature: "" },
  service: "sts",
  amzDate: "20150830T123600Z",
  sessionToken: undefined,
};

test("the canonical request, string to sign and signature match AWS's published example", () => {
  const canonical = canonicalRequest(docExample, EMPTY_SHA256);
  assert.equal(createHash("sha256").update(canonical).digest("hex"), "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  const signature = hmacHex(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam"), stringToSign(docExample, canonical));
  assert.equal(signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
});

test("paths are normalized and double-encoded, query strings sorted and strictly re-encoded", () => {
  assert.equal(canonicalUri("/"), "/");
  assert.equal(canonicalUri("/a%20b/./c/../d/"), "/a%2520b/d/");
  assert.equal(canonicalQuery("b=2&a=x%20y&a=1&c"), "a=1&a=x%20y&b=2&c=");
  assert.equal(canonicalQuery("k=%21%27%28%29%2A"), "k=%21%27%28%29%2A");
});

function signedKmsRequest(amzDate: string, secret: string, body = "{}"): HttpRequestParts {
  const scope = amzDate.slice(0, 8);
  const http: HttpRequestParts = {
    method: "POST",
    rawUrl: "/",
    rawHeaders: ["Host", "127.0.0.1:4599", "X-Amz-Date", amzDate, "X-Amz-Target", "TrentService.ListKeys"],
    headers: { host: "127.0.0.1:4599", "x-amz-date": amzDate, "x-amz-target": "TrentService.ListKeys" },
    body: Buffer.from(body),
  };
  const draft: SignedRequest = {
    http,
    authorization: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", scopeDate: scope, region: "eu-west-1", service: "kms", signedHeaders: ["host", "x-amz-date", "x-amz-target"], signature: "" },
    service: "kms",
    amzDate,
    sessionToken: undefined,
  };
  const signature = hmacHex(
    signingKey(secret, scope, "eu-west-1", "kms"),
    stringToSign(draft, canonicalRequest(draft, createHash("sha256").update(body).digest("hex"))),
  );
  http.headers.authorization = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/${scope}/eu-west-1/kms/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${signature}`;
  return http;
}

const now = new Date("2025-03-01T12:00:00Z");

test("a correctly signed request verifies, and the same request with another secret or body does not", () => {
  const http = signedKmsRequest("20250301T120000Z", "secret-secret-secret");
  verifySignature(readSignedRequest(http, now), "secret-secret-secret");
  assert.throws(() => verifySignature(readSignedRequest(http, now), "another-secret-entirely"), (e: AuthFailure) => e.kind === "signature-mismatch");
  const tampered = { ...http, body: Buffer.from('{"Limit":1}') };
  assert.throws(() => verifySignature(readSignedRequest(tampered, now), "secret-secret-secret"), (e: AuthFailure) => e.kind === "signature-mismatch");
});

test("a request 20 minutes off either way is refused with AWS's wording", () => {
  assert.throws(
    () => readSignedRequest(signedKmsRequest("20250301T114000Z", "secret-secret-secret"), now),
    (e: AuthFailure) => e.message === "Signature expired: 20250301T114000Z is now earlier than 20250301T114500Z (20250301T120000Z - 15 min.)",
  );
  assert.throws(
    () => readSignedRequest(signedKmsRequest("20250301T122000Z", "secret-secret-secret"), now),
    (e: AuthFailure) => e.message === "Signature not yet current: 20250301T122000Z is still later than 20250301T121500Z (20250301T120000Z + 15 min.)",
  );
  readSignedRequest(signedKmsRequest("20250301T114600Z", "secret-secret-secret"), now);
});

test("a scope for another service or day, or no Authorization header, is refused", () => {
  const http = signedKmsRequest("20250301T120000Z", "secret-secret-secret");
  const otherService = { ...http, headers: { ...http.headers, authorization: String(http.headers.authorization).replace("/kms/", "/s3/") } };
  assert.throws(() => readSignedRequest(otherService, now), /Credential should be scoped to correct service/);
  const otherDay = { ...http, headers: { ...http.headers, authorization: String(http.headers.authorization).replace("/20250301/", "/20250302/") } };
  assert.throws(() => readSignedRequest(otherDay, now), /Date in Credential scope does not match/);
  const unsigned = { ...http, headers: { ...http.headers, authorization: undefined } };
  assert.throws(() => readSignedRequest(unsigned, now), (e: AuthFailure) => e.kind === "missing-authentication");
});
