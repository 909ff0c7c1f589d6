// Replaced at build time by esbuild's `define` (scripts/build.mjs) from package.json, so that
// `twauth --version` reads no file at start-up.
declare const __TWAUTH_VERSION__: string | undefined;
export const VERSION: string = typeof __TWAUTH_VERSION__ === 'string' ? __TWAUTH_VERSION__ : '0.0.0-dev';
