import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { listOrgPeople } from "@/lib/auth";
import { capabilitiesOf } from "@/lib/capabilities";
import { ROLE_LABELS } from "@/components/format";
import { actorOrSignIn, organizationName } from "../../../_lib/page-actor";
import { unlockAccountAction } from "./people-actions";
import { UnlockForm } from "./unlock-form";

export const metadata: Metadata = { title: "People" };

export default async function PeoplePage() {
  const actor = await actorOrSignIn("/admin/people");
  // Only admins learn that this page exists.
  if (!capabilitiesOf(actor).administerPeople) notFound();
  const people = await listOrgPeople(actor);
  return (
    <>
      <div className="page-heading">
        <h1>People</h1>
        <p className="muted">
          Everyone at {organizationName(actor.orgSlug)}. An account is locked after many failed sign-ins from several places; someone with an authenticator app
          can still sign in with their password and a code, someone without one needs you to unlock it (or waits 30 minutes).
        </p>
      </div>
      {people.length === 0 ? (
        <p className="card" data-testid="people-empty">
          Nobody is set up in your organization yet.
        </p>
      ) : (
        <div className="table-wrap">
          <table data-testid="people-table">
            <caption className="visually-hidden">People at {organizationName(actor.orgSlug)}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Second factor</th>
                <th scope="col">Sign-in</th>
              </tr>
            </thead>
            <tbody>
              {people.map((person) => (
                <tr key={person.userId} data-testid="person-row" data-email={person.email}>
                  <th scope="row">{person.displayName}</th>
                  <td>{person.email}</td>
                  <td>{ROLE_LABELS[person.role] ?? person.role}</td>
                  <td>{person.secondFactor ? "Authenticator app" : "None yet"}</td>
                  <td>
                    {person.locked ? (
                      <div className="stack-small">
                        <span data-testid="person-locked">Locked</span>
                        <UnlockForm userId={person.userId} name={person.displayName} action={unlockAccountAction} />
                      </div>
                    ) : (
                      <span data-testid="person-unlocked">Not locked</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
