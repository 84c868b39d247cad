"use client";

import { useCallback, useEffect, useId, useReducer, useRef, useState, type DragEvent, type FormEvent } from "react";
import { formatBytes } from "../format";
import type { PartnerOrganization } from "../types";
import { startTransfer, type Transfer, type TransferOutcome } from "./transfer";
import { UploadList } from "./upload-list";
import { initialUploads, uploadsReducer, type UploadItem } from "./uploads-state";

/** Two files at a time: enough to keep the line busy, few enough that each one's progress means something. */
const CONCURRENCY = 2;
const MESSAGE_MAX = 2000;

export interface UploadFormProps {
  partners: PartnerOrganization[];
  maxBytes: number;
}

export function UploadForm({ partners, maxBytes }: UploadFormProps) {
  const [recipientOrg, setRecipientOrg] = useState(partners.length === 1 ? (partners[0]?.slug ?? "") : "");
  const [message, setMessage] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [state, dispatch] = useReducer(uploadsReducer, initialUploads);
  const transfers = useRef(new Map<string, Transfer>());
  const started = useRef(new Set<string>());
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
    const active = state.items.filter((item) => item.phase === "creating" || item.phase === "uploading" || item.phase === "finishing").length;
    const waiting = state.items.filter((item) => item.phase === "queued" && !started.current.has(item.key));
    for (const item of waiting.slice(0, Math.max(0, CONCURRENCY - active))) {
      started.current.add(item.key);
      dispatch({ type: "phase", key: item.key, phase: "creating" });
      announce(`Uploading ${item.file.name}.`);
      let milestone = 0;
      const transfer = startTransfer({
        file: item.file,
        recipientOrg: item.recipientOrg,
        message: item.message,
        onCreated: (exchangeId) => dispatch({ type: "created", key: item.key, exchangeId }),
        onProgress: (progress) => {
          dispatch({ type: "progress", key: item.key, ...progress });
          const quarter = progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 4) : 0;
          if (quarter > milestone && quarter < 4) {
            milestone = quarter;
            announce(`${item.file.name}: ${quarter * 25}% uploaded.`);
          }
        },
        onBytesSent: () => dispatch({ type: "phase", key: item.key, phase: "finishing" }),
      });
      transfers.current.set(item.key, transfer);
      void transfer.done.then((outcome: TransferOutcome) => {
        transfers.current.delete(item.key);
        started.current.delete(item.key);
        dispatch({ type: "finished", key: item.key, outcome });
        if (outcome.kind === "sent") announce(`${item.file.name} was sent.`);
        else if (outcome.kind === "failed") announce(`${item.file.name} was not sent: ${outcome.message}`);
        else announce(`Upload of ${item.file.name} cancelled.`);
      });
    }
  }, [state.items, announce]);

  const busy = state.items.some((item) => item.phase === "queued" || item.phase === "creating" || item.phase === "uploading" || item.phase === "finishing");

  // Leaving the page would abort uploads under way; ask first. Files dropped outside the zone must not replace the page.
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
    dispatch({ type: "queue", keys: ready.map((item) => item.key), recipientOrg, message });
  }

  function retry(item: UploadItem) {
    if (!recipientOrg) {
      setFormError("Choose the organization to send the files to.");
      recipientSelect.current?.focus();
      return;
    }
    dispatch({ type: "queue", keys: [item.key], recipientOrg, message });
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    if (event.dataTransfer.files.length > 0) addFiles(event.dataTransfer.files);
  }

  return (
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

      <UploadList
        items={state.items}
        onCancel={(item) => {
          const transfer = transfers.current.get(item.key);
          if (transfer) transfer.cancel();
          else dispatch({ type: "finished", key: item.key, outcome: { kind: "cancelled" } });
        }}
        onRetry={retry}
        onRemove={(item) => dispatch({ type: "remove", key: item.key })}
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
  );
}
