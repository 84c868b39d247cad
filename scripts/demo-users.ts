// The demo organizations' people. Their TOTP secrets are fixed so that a demo authenticator entry keeps working
// across re-seeds; they protect nothing but demo data.
export const DEMO_PASSWORD = "keybridge-demo-password";

export const DEMO_USERS = [
  { email: "alice@acme.example", displayName: "Alice Anders", orgSlug: "acme", role: "member", totpSecret: "JBSWY3DPEHPK3PXPACMEALICEQQQQQQQ" },
  { email: "adam@acme.example", displayName: "Adam Acheson", orgSlug: "acme", role: "admin", totpSecret: "JBSWY3DPEHPK3PXPACMEADAM2QQQQQQQ" },
  { email: "aria@acme.example", displayName: "Aria Auditor", orgSlug: "acme", role: "auditor", totpSecret: "JBSWY3DPEHPK3PXPACMEARIA2QQQQQQQ" },
  { email: "bob@globex.example", displayName: "Bob Brennan", orgSlug: "globex", role: "member", totpSecret: "JBSWY3DPEHPK3PXPGLOBEXBOBQQQQQQQ" },
  { email: "gina@globex.example", displayName: "Gina Gold", orgSlug: "globex", role: "admin", totpSecret: "JBSWY3DPEHPK3PXPGLOBEXGINAQQQQQQ" },
  { email: "greg@globex.example", displayName: "Greg Grant", orgSlug: "globex", role: "auditor", totpSecret: "JBSWY3DPEHPK3PXPGLOBEXGREGQQQQQQ" },
  { email: "ivan@initech.example", displayName: "Ivan Ito", orgSlug: "initech", role: "member", totpSecret: "JBSWY3DPEHPK3PXPINITECHIVANQQQQQ" },
] as const;

/** People seeded without an authenticator, to show enrolment (Security, after signing in). */
export const DEMO_USERS_WITHOUT_MFA = [{ email: "gabe@globex.example", displayName: "Gabe Green", orgSlug: "globex", role: "member" }] as const;
