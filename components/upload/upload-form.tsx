"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useMemo, useReducer, useRef, useState, type DragEvent, type FormEvent } from "react";
import type { IncompleteUpload } from "../../lib/contract/incomplete-upload";
import { formatBytes } from "../format";
import type { Audience, PartnerOrganization } from "../types";
import { AudienceFields } from "./audience-fields";
import { IncompleteUploads } from "./incomplete-uploads";
import { OverallProgressBar } from "./overall-progress";
import { findResumable, forgetExchange } from "./resume-store";
import { startTransfer, type Transfer, type TransferOutcome } from "./transfer";
import { discardUpload } from "./upload-api";
import { percentOf, UploadList } from "./upload-list";
import { IN_FLIGHT, initialUploads, overallProgress, uploadsReducer, type UploadItem } from "./uploads-state";

/** Two files at a time: enough to keep the line busy, few enough that each one's progress means something. */
const CONCURRENCY = 2;
const MESSAGE_MAX = 2000;
const EVERYONE: Audience = { recipientUserIds: [], maxDownloads: null };

/** A screen reader hears about a part being retried at most this often per file, not once per part. */
const RETRY_ANNOUNCE_EVERY_MS = 15_000;

export interface UploadFormProps {
  partners: PartnerOrganization[];
  maxBytes: number;
  /** The sender's uploads that were started and not finished, from the server. */
  incompleteUploads: IncompleteUpload[];
}

export function UploadForm({ partners, maxBytes, incompleteUploads }: UploadFormProps) {
  const router = useRouter();
  const [recipientOrg, setRecipientOrg] = useState(partners.length === 1 ? (partners[0]?.slug ?? "") : "");
  const [message, setMessage] = useState("");
  const [audience, setAudience] = useState<Audience>(EVERYONE);
  const [audienceComplete, setAudienceComplete] = useState(true);
  const [formError, setFormError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [state, dispatch] = useReducer(uploadsReducer, initialUploads);
  const transfers = useRef(new Map<string, Transfer>());
  const started = useRef(new Set<string>());
  const hinted = useRef(new Set<string>());
  const fileInput = useRef<HTMLInputElement>(null);
  const recipientSelect = useRef<HTMLSelectElement>(null);
  const dragDepth = useRef(0);
  const ids = { recipient: useId(), message: useId(), messageCount: useId(), formError: useId(), dropHelp: useId() };

  const announce = useCallback((text: string) => setAnnouncement(text), []);

  const addFiles = useCallback(
    (files: FileList | File[]) => {
      const list = Array.from(files);
      if (list.length === 0) return;
      dispatch({ type: "add", files: list, maxBytes });
      setFormError(null);
      announce(`${list.length === 1 ? `${list[0]?.name ?? "1 file"} added` : `${list.length} files added`}. Press Send when you are ready.`);
    },
    [announce, maxBytes],
  );

  // Run queued uploads, a few at a time.
  useEffect(() => {
    const active = state.items.filter((item) => IN_FLIGHT.has(item.phase)).length;
    const waiting = state.items.filter((item) => item.phase === "queued" && !started.current.has(item.key));
    for (const item of waiting.slice(0, Math.max(0, CONCURRENCY - active))) {
      const name = item.file.name;
      started.current.add(item.key);
      dispatch({ type: "phase", key: item.key, phase: "creating" });
      announce(item.exchangeId ? `Resuming ${name}.` : `Uploading ${name}.`);
      let milestone = 0;
      let lastRetryAnnouncement = -Infinity;
      const transfer = startTransfer({
        file: item.file,
        recipientOrg: item.recipientOrg,
        message: item.message,
        audience: item.audience,
        resumeExchangeId: item.exchangeId,
        onStarted: (start) => {
          dispatch({ type: "started", key: item.key, start });
          milestone = item.file.size > 0 ? Math.floor((start.storedBytes / item.file.size) * 4) : 0;
          if (start.resumed) announce(`Resuming ${name}: ${percentOf(start.storedBytes, item.file.size)}% was already stored, sending the rest.`);
        },
        onProgress: (progress) => {
          dispatch({ type: "progress", key: item.key, progress });
          const quarter = progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 4) : 0;
          if (quarter > milestone && quarter < 4) {
            milestone = quarter;
            announce(`${name}: ${quarter * 25}% uploaded.`);
          }
        },
        onRetry: (retry) => {
          const now = performance.now();
          if (now - lastRetryAnnouncement < RETRY_ANNOUNCE_EVERY_MS) return;
          lastRetryAnnouncement = now;
          if (retry.waitingForNetwork) {
            announce(`${name}: the connection was lost. The upload goes on when it is back.`);
            return;
          }
          const seconds = retry.retryAt === null ? 0 : Math.max(1, Math.ceil((retry.retryAt - Date.now()) / 1000));
          announce(`${name}: part ${retry.partNumber} did not arrive. Retrying in ${seconds} s.`);
        },
        onCompleting: () => dispatch({ type: "completing", key: item.key }),
      });
      transfers.current.set(item.key, transfer);
      void transfer.done.then((outcome: TransferOutcome) => {
        transfers.current.delete(item.key);
        started.current.delete(item.key);
        dispatch({ type: "finished", key: item.key, outcome });
        if (outcome.kind === "sent") announce(`${name} was sent.`);
        else if (outcome.kind === "failed") announce(`${name} was not sent: ${outcome.message}`);
        else if (outcome.kind === "paused") announce(`${name} paused. The parts already stored are kept; press Resume to go on.`);
        else announce(`Upload of ${name} cancelled.`);
        // The Incomplete uploads list comes from the server: ask for it again once one of its uploads is settled.
        if ((outcome.kind === "sent" || outcome.kind === "cancelled") && item.exchangeId) router.refresh();
      });
    }
  }, [state.items, announce, router]);

  // A file added again that this browser started sending before: say how much of it is already stored.
  useEffect(() => {
    for (const item of state.items) {
      if (item.phase !== "ready" || hinted.current.has(item.key)) continue;
      hinted.current.add(item.key);
      void findResumable(item.file, partners.map((partner) => partner.slug)).then((found) => {
        const listed = found && incompleteUploads.find((upload) => upload.exchangeId === found.state.exchangeId);
        if (found && listed) dispatch({ type: "resume-hint", key: item.key, hint: { exchangeId: listed.exchangeId, recipientOrg: found.recipientOrg, storedBytes: listed.storedBytes } });
      });
    }
  }, [state.items, partners, incompleteUploads]);

  const busy = state.items.some((item) => item.phase === "queued" || IN_FLIGHT.has(item.phase));

  // Leaving the page stops uploads under way (they resume later from the parts stored); ask first. Files dropped
  // outside the zone must not replace the page.
  useEffect(() => {
    const keepFileDrops = (event: globalThis.DragEvent) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    };
    window.addEventListener("dragover", keepFileDrops);
    window.addEventListener("drop", keepFileDrops);
    return () => {
      window.removeEventListener("dragover", keepFileDrops);
      window.removeEventListener("drop", keepFileDrops);
    };
  }, []);
  useEffect(() => {
    if (!busy) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [busy]);

  const ready = state.items.filter((item) => item.phase === "ready");
  const recipientName = partners.find((partner) => partner.slug === recipientOrg)?.displayName;
  const overall = useMemo(() => overallProgress(state.items), [state.items]);
  const inList = new Set(state.items.flatMap((item) => (item.exchangeId ? [item.exchangeId] : [])));
  const incomplete = incompleteUploads.filter((upload) => !inList.has(upload.exchangeId));

  function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!recipientOrg) {
      setFormError("Choose the organization to send the files to.");
      recipientSelect.current?.focus();
      return;
    }
    if (ready.length === 0) {
      setFormError("Add at least one file: drop it on the area above or choose it with the button.");
      return;
    }
    setFormError(null);
    if (!audienceComplete) {
      setFormError("Tick at least one person who may download the files, or choose Everyone.");
      return;
    }
    if (audience.maxDownloads !== null && (!Number.isInteger(audience.maxDownloads) || audience.maxDownloads < 1 || audience.maxDownloads > 10_000)) {
      setFormError("Enter a download limit between 1 and 10,000, or leave it empty for no limit.");
      return;
    }
    dispatch({ type: "queue", keys: ready.map((item) => item.key), recipientOrg, message, audience });
  }

  function retry(item: UploadItem) {
    // An upload the server still holds resumes to its own recipient; only a fresh start needs one chosen.
    if (!item.exchangeId && !recipientOrg) {
      setFormError("Choose the organization to send the files to.");
      recipientSelect.current?.focus();
      return;
    }
    dispatch({ type: "queue", keys: [item.key], recipientOrg, message, audience });
  }

  function cancel(item: UploadItem) {
    const transfer = transfers.current.get(item.key);
    if (transfer) {
      dispatch({ type: "phase", key: item.key, phase: "cancelling" });
      transfer.cancel();
      return;
    }
    const exchangeId = item.exchangeId;
    if (!exchangeId) {
      dispatch({ type: "finished", key: item.key, outcome: { kind: "cancelled" } });
      return;
    }
    // Paused, or stopped by an error: nothing is running, so discard the stored parts here.
    dispatch({ type: "phase", key: item.key, phase: "cancelling" });
    void discardUpload(exchangeId).then((result) => {
      if (result.ok) {
        forgetExchange(exchangeId);
        dispatch({ type: "finished", key: item.key, outcome: { kind: "cancelled" } });
        announce(`Upload of ${item.file.name} cancelled.`);
        router.refresh();
      } else {
        dispatch({ type: "finished", key: item.key, outcome: { kind: "failed", message: `Not discarded: ${result.failure.message}`, retryable: true, exchangeId } });
        announce(`${item.file.name} was not discarded: ${result.failure.message}`);
      }
    });
  }

  function resumeIncomplete(upload: IncompleteUpload, file: File) {
    dispatch({ type: "add-resume", file, exchangeId: upload.exchangeId, recipientOrg: upload.recipientOrg });
    announce(`Resuming ${file.name} to ${upload.recipientOrgName}.`);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    if (event.dataTransfer.files.length > 0) addFiles(event.dataTransfer.files);
  }

  return (
    <div className="stack">
      <div className="card">
        <form className="upload-form stack" onSubmit={send} noValidate aria-describedby={formError ? ids.formError : undefined}>
          <div className="field">
            <label htmlFor={ids.recipient}>Send to</label>
            <select
              id={ids.recipient}
              ref={recipientSelect}
              name="recipientOrg"
              value={recipientOrg}
              onChange={(event) => {
                setRecipientOrg(event.target.value);
                // Named people belong to one organization: a new recipient starts from everyone again.
                setAudience(EVERYONE);
                setAudienceComplete(true);
                setFormError(null);
              }}
              required
              data-testid="recipient-select"
            >
              {partners.length !== 1 ? <option value="">Choose an organization…</option> : null}
              {partners.map((partner) => (
                <option key={partner.slug} value={partner.slug}>
                  {partner.displayName}
                </option>
              ))}
            </select>
            <p className="hint">Only people at the organization you choose can decrypt and download the files.</p>
          </div>

          {recipientName ? <AudienceFields organizationName={recipientName} people={partners.find((partner) => partner.slug === recipientOrg)?.people ?? []} audience={audience}
              onChange={(next, complete) => {
                setAudience(next);
                setAudienceComplete(complete);
                setFormError(null);
              }}
              key={recipientOrg}
            /> : null}

          <div className="field">
            <label htmlFor={ids.message}>
              Message <span className="optional">(optional)</span>
            </label>
            <textarea
              id={ids.message}
              name="message"
              rows={3}
              maxLength={MESSAGE_MAX}
              value={message}
              onChange={(event) => setMessage(event.target.value)}
              aria-describedby={ids.messageCount}
              placeholder="For example: the signed contract, as discussed on Tuesday."
            />
            <p className="hint" id={ids.messageCount}>
              Encrypted like the files. {MESSAGE_MAX - message.length} characters left.
            </p>
          </div>

          <div className="field">
            <span className="label" id={`${ids.dropHelp}-label`}>
              Files
            </span>
            <div
              className={`drop-zone${dragging ? " drop-zone-active" : ""}`}
              data-testid="drop-zone"
              aria-labelledby={`${ids.dropHelp}-label`}
              aria-describedby={ids.dropHelp}
              role="group"
              onDragEnter={(event) => {
                event.preventDefault();
                dragDepth.current += 1;
                setDragging(true);
              }}
              onDragOver={(event) => {
                event.preventDefault();
                event.dataTransfer.dropEffect = "copy";
              }}
              onDragLeave={() => {
                dragDepth.current = Math.max(0, dragDepth.current - 1);
                if (dragDepth.current === 0) setDragging(false);
              }}
              onDrop={onDrop}
            >
              <svg className="drop-icon" aria-hidden="true" viewBox="0 0 24 24" width="32" height="32">
                <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
              <p className="drop-title">{dragging ? "Drop to add the files" : "Drag files here"}</p>
              <p className="hint" id={ids.dropHelp}>
                or{" "}
                <button type="button" className="button button-small" onClick={() => fileInput.current?.click()} data-testid="choose-files">
                  Choose files
                </button>{" "}
                · several at once, up to {formatBytes(maxBytes)} each
              </p>
              <input
                ref={fileInput}
                type="file"
                multiple
                className="visually-hidden"
                tabIndex={-1}
                aria-hidden="true"
                data-testid="file-input"
                onChange={(event) => {
                  if (event.target.files) addFiles(event.target.files);
                  event.target.value = "";
                }}
              />
            </div>
          </div>

          {overall.files > 1 ? <OverallProgressBar overall={overall} /> : null}

          <UploadList
            items={state.items}
            onCancel={cancel}
            onPause={(item) => transfers.current.get(item.key)?.pause()}
            onResume={(item) => dispatch({ type: "resume", key: item.key })}
            onRetry={retry}
            onRemove={(item) => {
              dispatch({ type: "remove", key: item.key });
              // Its stored parts stay on the server; the Incomplete uploads list shows them after a refresh.
              if (item.exchangeId && item.phase !== "done") router.refresh();
            }}
          />

          <div aria-live="assertive" aria-atomic="true">
            {formError ? (
              <p className="notice notice-error" id={ids.formError} data-testid="upload-form-error">
                {formError}
              </p>
            ) : null}
          </div>

          <div className="form-actions">
            <button type="submit" className="button button-primary" data-testid="send-files">
              {ready.length === 0 ? "Send files" : `Send ${ready.length === 1 ? "1 file" : `${ready.length} files`}${recipientName ? ` to ${recipientName}` : ""}`}
            </button>
            {state.items.some((item) => item.phase === "done") ? (
              <button type="button" className="button button-quiet" onClick={() => dispatch({ type: "clear-done" })}>
                Clear sent files from the list
              </button>
            ) : null}
          </div>

          <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="upload-announcer">
            {announcement}
          </p>
        </form>
      </div>
      <IncompleteUploads uploads={incomplete} onResume={resumeIncomplete} announce={announce} />
    </div>
  );
}
