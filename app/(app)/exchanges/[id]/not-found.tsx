import Link from "next/link";

export default function ExchangeNotFound() {
  return (
    <div className="card" data-testid="exchange-not-found">
      <h1>Exchange not found</h1>
      <p>This exchange does not exist, or it was not sent by or to your organization. Check the link you followed.</p>
      <p>
        <Link href="/inbox">Go to your inbox</Link> or <Link href="/sent">see what was sent</Link>.
      </p>
    </div>
  );
}
