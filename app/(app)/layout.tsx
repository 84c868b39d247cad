import type { ReactNode } from "react";
import { capabilitiesOf } from "@/lib/capabilities";
import { unreadCount } from "@/lib/notifications";
import { AppHeader } from "@/components/app-header";
import { organizationName, requestActor } from "../_lib/page-actor";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  // Every page checks the session itself and redirects to sign-in with its own return address; the layout only
  // needs the person for the header (and is not re-run on every client navigation).
  const actor = await requestActor();
  if (!actor) return <main id="main">{children}</main>;
  const unread = await unreadCount(actor);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader person={{ displayName: actor.displayName, email: actor.email, organizationName: organizationName(actor.orgSlug), role: actor.role }}
        unread={unread}
        administerPeople={capabilitiesOf(actor).administerPeople}
      />
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
