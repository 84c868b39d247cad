// Issue 7's benchmark: one large file through the parted upload API (the browser's path: 16 MiB parts, three in
// flight) and back, on the embedded default, with the app server's CPU and peak RSS, and the KMS calls it made.
import { open } from "node:fs/promises";
import { partRange } from "../../lib/contract/transfer";
import { completeUpload, createPartedUpload, putPart } from "../../test/support/parted-upload";
import { hashBody } from "../../test/support/bytes";
import { startStack } from "../../test/support/stack";
import { WebClient } from "../../test/support/web-client";
import { measureProcess } from "./process-meter";

const IN_FLIGHT = 3;

export interface PartedBenchResult {
  upload: Awaited<ReturnType<typeof measureProcess>>;
  download: Awaited<ReturnType<typeof measureProcess>>;
  partCount: number;
  generateDataKeyCalls: number;
  decryptCalls: number;
}

export async function partedTransfer(source: string, size: number, digest: string): Promise<PartedBenchResult> {
  const stack = await startStack();
  const file = await open(source, "r");
  try {
    const alice = await WebClient.signedIn(stack.appUrl, "alice@acme.example");
    const bob = await WebClient.signedIn(stack.appUrl, "bob@globex.example");
    const upload = await createPartedUpload(alice, { recipientOrg: "globex", fileName: "bench-parted.bin", size });
    const measuredUpload = await measureProcess(stack.appPid, async () => {
      const queue = Array.from({ length: upload.partCount }, (_, index) => index + 1);
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let partNumber = queue.shift(); partNumber !== undefined; partNumber = queue.shift()) {
            const { start, end } = partRange(upload, partNumber);
            const bytes = Buffer.alloc(end - start);
            await file.read(bytes, 0, bytes.length, start);
            const response = await putPart(alice, upload.exchangeId, partNumber, bytes);
            if (response.status !== 200) throw new Error(`part ${partNumber}: ${response.status} ${await response.text()}`);
          }
        }),
      );
      const completed = await completeUpload(alice, upload.exchangeId, digest);
      if (completed.status !== 200) throw new Error(`complete: ${completed.status} ${await completed.text()}`);
    });
    const measuredDownload = await measureProcess(stack.appPid, async () => {
      const downloaded = await hashBody(await bob.fetch(`/api/exchanges/${upload.exchangeId}/content`));
      if (downloaded.sha256 !== digest) throw new Error("downloaded bytes differ from the upload");
    });
    const calls = (operation: string) =>
      stack.awsEvents().filter((event) => event.eventName === operation && !event.errorCode && event.requestParameters?.encryptionContext?.["exchange-id"] === upload.exchangeId && event.requestParameters?.encryptionContext?.purpose === "file-content").length;
    return { upload: measuredUpload, download: measuredDownload, partCount: upload.partCount, generateDataKeyCalls: calls("GenerateDataKey"), decryptCalls: calls("Decrypt") };
  } finally {
    await file.close();
    await stack.stop();
  }
}
