import Link from "next/link";

/** Said alike for a token that never existed and for someone the link is not addressed to. */
export default function LinkNotFound() {
  return (
    <div className="card" data-testid="link-not-found">
      <h1>Link not found</h1>
      <p>This link does not exist, or it was not shared with you. Check that you copied the whole address, and that you are signed in with the account it was shared with.</p>
      <p>
        <Link href="/inbox">Go to your inbox</Link>
      </p>
    </div>
  );
}
