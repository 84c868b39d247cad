import Link from "next/link";

export default function NotFound() {
  return (
    <main className="centered-page">
      <div className="card narrow">
        <h1>Page not found</h1>
        <p>The address may be mistyped, or the page may have moved.</p>
        <p>
          <Link href="/inbox">Go to your inbox</Link>
        </p>
      </div>
    </main>
  );
}
