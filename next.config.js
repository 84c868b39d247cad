/** @type {import('next').NextConfig} */
const nextConfig = {
  // Lets two builds of one checkout live side by side (e.g. parallel work); the default is Next's own.
  distDir: process.env.KEYBRIDGE_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // sharp (LGPL libvips) is replaced by an empty package in package.json overrides; nothing here uses next/image optimisation.
  images: { unoptimized: true },
  // PGlite loads its WebAssembly and data files relative to its own module; bundling it would break those paths.
  serverExternalPackages: ["@electric-sql/pglite"],
  // `npm test` type-checks the whole tree (app, lib, local-aws, tests) with tsc once; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
