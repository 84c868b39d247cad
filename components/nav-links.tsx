"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/inbox", label: "Inbox" },
  { href: "/sent", label: "Sent" },
  { href: "/upload", label: "Upload" },
  { href: "/audit", label: "Audit" },
  { href: "/settings/security", label: "Security" },
] as const;

/** Shown to organization admins only; the page checks the role itself. */
const ADMIN_LINKS = [{ href: "/admin/people", label: "People" }] as const;

/** `unread`: new files and links for the person since they last opened the Inbox. */
export function NavLinks({ unread = 0, admin = false }: { unread?: number; admin?: boolean }) {
  const pathname = usePathname();
  const links = admin ? [...LINKS, ...ADMIN_LINKS] : LINKS;
  return (
    <nav aria-label="Main">
      <ul className="nav-list">
        {links.map((link) => {
          const current = pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <li key={link.href}>
              <Link href={link.href} className="nav-link" aria-current={current ? "page" : undefined}>
                {link.label}
                {link.href === "/inbox" && unread > 0 ? (
                  <span className="badge" data-testid="inbox-unread">
                    {unread}
                    <span className="visually-hidden"> new</span>
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
