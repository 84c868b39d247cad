import type { Metadata } from "next";
import Link from "next/link";
import { capabilitiesOf } from "@/lib/capabilities";
import { getConfig, getOrganization } from "@/lib/config";
import { listIncompleteUploads } from "@/lib/exchanges";
import { peopleWhoMayDownload } from "@/lib/links";
import { UploadForm } from "@/components/upload/upload-form";
import type { PartnerOrganization } from "@/components/types";
import { actorOrSignIn, organizationName } from "../../_lib/page-actor";

export const metadata: Metadata = { title: "Upload" };

export default async function UploadPage() {
  const actor = await actorOrSignIn("/upload");
  const org = getOrganization(actor.orgSlug);
  const orgName = organizationName(actor.orgSlug);
  const { sendingRefusal } = capabilitiesOf(actor);
  const canSend = sendingRefusal === null;
  const partners: PartnerOrganization[] = await Promise.all(
    (org?.sendsTo ?? []).map(async (slug) => ({ slug, displayName: organizationName(slug), people: canSend ? await peopleWhoMayDownload(slug) : [] })),
  );
  const incompleteUploads = canSend ? await listIncompleteUploads(actor) : [];

  return (
    <>
      <div className="page-heading">
        <h1>Upload</h1>
        <p className="muted">Send files to a partner organization. Each file is encrypted as it uploads; only the organization you choose can decrypt it.</p>
      </div>
      {sendingRefusal === "auditor" ? (
        <div className="empty-state" data-testid="upload-auditor">
          <h2>Auditors cannot send files</h2>
          <p>
            Your role at {orgName} is <strong>auditor</strong>: you can review what was sent and received, but not upload. Ask a member or an administrator of {orgName} to send the file.
          </p>
          <p>
            <Link href="/sent">See what {orgName} has sent</Link>
          </p>
        </div>
      ) : sendingRefusal === "no_partners" ? (
        <div className="empty-state" data-testid="upload-no-partners">
          <h2>No partner organizations yet</h2>
          <p>
            {orgName} is not set up to send files to any other organization, so there is no one to send to yet. An administrator can add partner organizations in Keybridge&apos;s configuration.
          </p>
          <p>
            You can still receive files: they appear in your <Link href="/inbox">Inbox</Link>.
          </p>
        </div>
      ) : (
        <UploadForm partners={partners} maxBytes={getConfig().uploads.maxBytes} incompleteUploads={incompleteUploads} />
      )}
    </>
  );
}
