"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import type { IncompleteUpload } from "../../lib/contract/incomplete-upload";
import { formatBytes, formatDate, formatExactBytes } from "../format";
import { forgetExchange } from "./resume-store";
import { discardUpload } from "./upload-api";
import { percentOf } from "./upload-list";

export interface IncompleteUploadsProps {
  uploads: IncompleteUpload[];
  /** The person chose the right file for `upload`: continue it in the list of files being sent. */
  onResume: (upload: IncompleteUpload, file: File) => void;
  announce: (text: string) => void;
}

/** Why a chosen file is not the one an incomplete upload was started with, in words that say which file to pick. */
export function mismatchMessage(upload: Pick<IncompleteUpload, "fileName" | "size">, file: Pick<File, "name" | "size">): string | null {
  if (file.name === upload.fileName && file.size === upload.size) return null;
  const expected = `“${upload.fileName}” (${formatExactBytes(upload.size)})`;
  if (file.name === upload.fileName) return `That file is named “${file.name}” but is ${formatExactBytes(file.size)}, so it is not the same file. This upload needs ${expected}.`;
  return `You chose “${file.name}” (${formatExactBytes(file.size)}). This upload needs ${expected}: choose that file to resume.`;
}

export function IncompleteUploads({ uploads, onResume, announce }: IncompleteUploadsProps) {
  const router = useRouter();
  const headingId = useId();
  const picker = useRef<HTMLInputElement>(null);
  const target = useRef<IncompleteUpload | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState<ReadonlySet<string>>(new Set());
  const [discarded, setDiscarded] = useState<ReadonlySet<string>>(new Set());

  const visible = uploads.filter((upload) => !discarded.has(upload.exchangeId));
  const setProblem = (exchangeId: string, text: string | null) =>
    setProblems((current) => {
      const next = { ...current };
      if (text) next[exchangeId] = text;
      else delete next[exchangeId];
      return next;
    });

  function chooseFile(upload: IncompleteUpload) {
    target.current = upload;
    setProblem(upload.exchangeId, null);
    picker.current?.click();
  }

  function fileChosen(file: File | undefined) {
    const upload = target.current;
    target.current = null;
    if (!upload || !file) return;
    const mismatch = mismatchMessage(upload, file);
    if (mismatch) {
      setProblem(upload.exchangeId, mismatch);
      announce(mismatch);
      return;
    }
    setProblem(upload.exchangeId, null);
    onResume(upload, file);
  }

  async function discard(upload: IncompleteUpload) {
    setConfirming(null);
    setDiscarding((current) => new Set(current).add(upload.exchangeId));
    const result = await discardUpload(upload.exchangeId);
    setDiscarding((current) => {
      const next = new Set(current);
      next.delete(upload.exchangeId);
      return next;
    });
    if (!result.ok) {
      setProblem(upload.exchangeId, `Not discarded: ${result.failure.message}`);
      announce(`${upload.fileName} was not discarded: ${result.failure.message}`);
      return;
    }
    forgetExchange(upload.exchangeId);
    setDiscarded((current) => new Set(current).add(upload.exchangeId));
    announce(`The incomplete upload of ${upload.fileName} was discarded.`);
    heading.current?.focus();
    router.refresh();
  }

  return (
    <section className="card stack-small" aria-labelledby={headingId} data-testid="incomplete-uploads">
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        Incomplete uploads
      </h2>
      {visible.length === 0 ? (
        <p className="muted" data-testid="incomplete-empty">
          No incomplete uploads. If an upload is interrupted (a closed tab, a lost connection), it appears here and you can resume it from the parts already stored.
        </p>
      ) : (
        <>
          <p className="hint">
            Uploads you started that did not finish. The parts already stored are kept, encrypted, until the upload expires. To resume, choose the same file again.
          </p>
          <ul className="upload-list">
            {visible.map((upload) => {
              const nameId = `${headingId}-${upload.exchangeId}`;
              const percent = percentOf(upload.storedBytes, upload.size);
              const busy = discarding.has(upload.exchangeId);
              const problem = problems[upload.exchangeId];
              return (
                <li key={upload.exchangeId} className="upload-item" data-testid="incomplete-upload" data-exchange-id={upload.exchangeId}>
                  <div className="upload-head">
                    <span className="upload-name" id={nameId}>
                      {upload.fileName}
                    </span>
                    <span className="upload-size">{formatBytes(upload.size)}</span>
                  </div>
                  <progress className="progress" max={100} value={percent} aria-labelledby={nameId} aria-valuetext={`${percent}% stored`} />
                  <p className="progress-detail" data-testid="incomplete-detail">
                    <span>To {upload.recipientOrgName}</span>
                    <span>
                      {formatBytes(upload.storedBytes)} of {formatBytes(upload.size)} stored ({percent}%)
                    </span>
                    <span>
                      {upload.storedParts.length} of {upload.partCount} {upload.partCount === 1 ? "part" : "parts"}
                    </span>
                    <span>
                      Expires <time dateTime={upload.expiresAt}>{formatDate(upload.expiresAt)}</time>
                    </span>
                  </p>
                  <div className="upload-foot">
                    <span className="upload-status muted">Started <time dateTime={upload.startedAt}>{formatDate(upload.startedAt)}</time></span>
                    <span className="upload-actions">
                      {confirming === upload.exchangeId ? (
                        <>
                          <span className="confirm-text">Discard the {formatBytes(upload.storedBytes)} stored?</span>
                          <button type="button" className="button button-small button-danger" onClick={() => void discard(upload)} autoFocus data-testid="incomplete-discard-confirm">
                            Yes, discard<span className="visually-hidden"> {upload.fileName}</span>
                          </button>
                          <button type="button" className="button button-small button-quiet" onClick={() => setConfirming(null)}>
                            Keep it
                          </button>
                        </>
                      ) : (
                        <>
                          <button type="button" className="button button-small button-primary" onClick={() => chooseFile(upload)} disabled={busy} data-testid="incomplete-resume">
                            Resume…<span className="visually-hidden"> {upload.fileName}</span>
                          </button>
                          <button type="button" className="button button-small" onClick={() => setConfirming(upload.exchangeId)} disabled={busy} data-testid="incomplete-discard">
                            {busy ? "Discarding…" : "Discard"}
                            <span className="visually-hidden"> {upload.fileName}</span>
                          </button>
                        </>
                      )}
                    </span>
                  </div>
                  <div aria-live="polite">
                    {problem ? (
                      <p className="upload-error" data-testid="incomplete-problem">
                        {problem}
                      </p>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <input
        ref={picker}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="incomplete-file-input"
        onChange={(event) => {
          fileChosen(event.target.files?.[0]);
          event.target.value = "";
        }}
      />
    </section>
  );
}
