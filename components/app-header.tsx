import Link from "next/link";
import { ROLE_LABELS } from "./format";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

export interface HeaderPerson {
  displayName: string;
  email: string;
  organizationName: string;
  role: string;
}

export function AppHeader({ person, unread, administerPeople }: { person: HeaderPerson; unread: number; administerPeople: boolean }) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link href="/inbox" className="brand">
          <span className="brand-mark" aria-hidden="true">
            K
          </span>
          Keybridge
        </Link>
        <NavLinks unread={unread} admin={administerPeople} />
        <div className="person">
          <div className="person-text">
            <span className="person-name" title={person.email}>
              {person.displayName}
            </span>
            <span className="person-org">
              {person.organizationName} · {ROLE_LABELS[person.role] ?? person.role}
            </span>
          </div>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
